// Hashed character n-gram embeddings: a deterministic, network-free text vector for cosine similarity.

const WORD = /[\p{L}\p{N}]+/gu;

/** Common words that carry no topic; dropping them keeps "what do you ..." from matching every chunk. */
const STOPWORDS = new Set(
  'a an and are as at be been but by can could did do does for from had has have how i in is it its me my of on or our so that the their them there they this to was we were what when where which who why will with would you your about into than then also just more most some such very'.split(' '),
);

export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).filter((w) => !STOPWORDS.has(w));
}

/** FNV-1a 32-bit; fast and well spread for short strings. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class HashedNgramEmbedder {
  constructor(readonly dimensions = 384) {}

  /** Unit-length vector: whole words weigh more than their 3- and 4-grams; a sign hash keeps collisions unbiased. */
  embed(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    for (const word of tokenize(text)) {
      this.add(v, `w:${word}`, 2);
      const padded = ` ${word} `;
      for (const n of [3, 4]) {
        for (let i = 0; i + n <= padded.length; i++) this.add(v, padded.slice(i, i + n), 1);
      }
    }
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
    return v;
  }

  private add(v: Float32Array, feature: string, weight: number): void {
    const h = fnv1a(feature);
    v[h % this.dimensions] += h & 0x80000000 ? -weight : weight;
  }
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
