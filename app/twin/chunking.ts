// Splits a profile section into retrieval chunks: one per paragraph-sized block, each carrying its heading path.

export interface ProfileChunk {
  /** Stable within a revision: `section#index`. */
  id: string;
  section: string;
  heading: string;
  text: string;
}

const MAX_CHUNK_CHARS = 700;

/** Splits on blank lines, keeps headings as context for the paragraphs below them, and merges or cuts to a bounded size. */
export function chunkSection(section: string, markdown: string): ProfileChunk[] {
  const chunks: ProfileChunk[] = [];
  let heading = section;
  let subheading = '';
  // A sub-heading with no paragraph under it (a degree line, say) is still a fact worth retrieving.
  let unusedSubheading = false;
  const flushSubheading = () => {
    if (unusedSubheading) chunks.push({ id: '', section, heading, text: subheading });
    unusedSubheading = false;
  };
  for (const rawBlock of markdown.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const body: string[] = [];
    for (const line of rawBlock.trim().split('\n')) {
      const h = /^(#{1,6})\s+(.*)$/.exec(line.trim());
      if (!h) {
        if (line.trim()) body.push(line.trim());
        continue;
      }
      flushSubheading();
      if (h[1].length === 1) {
        heading = h[2].trim();
        subheading = '';
      } else {
        subheading = h[2].trim();
        unusedSubheading = true;
      }
    }
    const text = body.join(' ').replace(/\s+/g, ' ').trim();
    if (!text) continue;
    unusedSubheading = false;
    const title = subheading ? `${heading} / ${subheading}` : heading;
    for (const piece of cut(text, MAX_CHUNK_CHARS)) chunks.push({ id: '', section, heading: title, text: piece });
  }
  flushSubheading();
  return chunks.map((c, i) => ({ ...c, id: `${section}#${i}` }));
}

function cut(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const sentences = text.split(/(?<=[.!?])\s+/);
  const pieces: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    if (current && current.length + 1 + sentence.length > max) {
      pieces.push(current);
      current = '';
    }
    current = current ? `${current} ${sentence}` : sentence;
    while (current.length > max) {
      pieces.push(current.slice(0, max));
      current = current.slice(max);
    }
  }
  if (current) pieces.push(current);
  return pieces;
}
