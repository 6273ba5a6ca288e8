// The embedded default vector index: brute-force cosine over unit vectors held in process memory.

import type { IndexedVector, VectorIndex, VectorMatch } from './vector-index';

export class MemoryVectorIndex implements VectorIndex {
  readonly kind = 'memory';
  private readonly items = new Map<string, IndexedVector>();

  async upsert(items: readonly IndexedVector[]): Promise<void> {
    for (const item of items) this.items.set(item.id, item);
  }

  async delete(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.items.delete(id);
  }

  /** Vectors are unit length (see HashedNgramEmbedder), so the dot product is the cosine similarity. */
  async query(vector: Float32Array, topK: number): Promise<VectorMatch[]> {
    const best: VectorMatch[] = [];
    for (const item of this.items.values()) {
      const v = item.vector;
      let score = 0;
      for (let i = 0; i < v.length; i++) score += v[i] * vector[i];
      if (best.length < topK) {
        best.push({ id: item.id, score, metadata: item.metadata });
        best.sort((a, b) => b.score - a.score);
      } else if (topK > 0 && score > best[best.length - 1].score) {
        best[best.length - 1] = { id: item.id, score, metadata: item.metadata };
        best.sort((a, b) => b.score - a.score);
      }
    }
    return best;
  }

  async count(): Promise<number> {
    return this.items.size;
  }
}
