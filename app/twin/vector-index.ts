// The vector index seam: the in-process default and the Upstash Vector adapter both implement it.

export interface ChunkMetadata {
  section: string;
  heading: string;
  text: string;
}

export interface IndexedVector {
  id: string;
  vector: Float32Array;
  metadata: ChunkMetadata;
}

export interface VectorMatch {
  id: string;
  score: number;
  metadata: ChunkMetadata;
}

export interface VectorIndex {
  readonly kind: 'memory' | 'upstash';
  upsert(items: readonly IndexedVector[]): Promise<void>;
  delete(ids: readonly string[]): Promise<void>;
  query(vector: Float32Array, topK: number): Promise<VectorMatch[]>;
  count(): Promise<number>;
}

export class VectorIndexError extends Error {
  override name = 'VectorIndexError';
}
