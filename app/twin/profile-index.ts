// Keeps the vector index in step with the profile: chunk, embed and (re)index one section at a time; search by text.

import { chunkSection, type ProfileChunk } from './chunking';
import type { HashedNgramEmbedder } from './embedding';
import type { VectorIndex, VectorMatch } from './vector-index';

export class ProfileIndex {
  /** Chunk ids per section, so a re-index removes exactly the chunks the old revision had. */
  private readonly idsBySection = new Map<string, string[]>();

  constructor(
    private readonly embedder: HashedNgramEmbedder,
    readonly index: VectorIndex,
  ) {}

  async indexSection(section: string, markdown: string): Promise<ProfileChunk[]> {
    const chunks = chunkSection(section, markdown);
    const fresh = new Set(chunks.map((c) => c.id));
    const stale = (this.idsBySection.get(section) ?? []).filter((id) => !fresh.has(id));
    await this.index.upsert(
      chunks.map((c) => ({
        id: c.id,
        vector: this.embedder.embed(`${c.heading}. ${c.text}`),
        metadata: { section: c.section, heading: c.heading, text: c.text },
      })),
    );
    await this.index.delete(stale);
    this.idsBySection.set(section, chunks.map((c) => c.id));
    return chunks;
  }

  async search(text: string, limit: number): Promise<VectorMatch[]> {
    return this.index.query(this.embedder.embed(text), limit);
  }

  chunkCount(): number {
    let n = 0;
    for (const ids of this.idsBySection.values()) n += ids.length;
    return n;
  }
}
