// Upstash Vector REST adapter (production; index created with COSINE): POST /upsert, /query, /delete, GET /info, bearer token.

import { VectorIndexError, type ChunkMetadata, type IndexedVector, type VectorIndex, type VectorMatch } from './vector-index';

export interface UpstashOptions {
  url: string;
  token: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

interface UpstashEnvelope<T> {
  result?: T;
  error?: string;
}

export class UpstashVectorIndex implements VectorIndex {
  readonly kind = 'upstash';
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: UpstashOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.fetchImpl = options.fetchImpl ?? fetch;
  }

  async upsert(items: readonly IndexedVector[]): Promise<void> {
    // Upstash caps a request's payload; batches of 500 vectors stay well under it at a few hundred dimensions.
    for (let i = 0; i < items.length; i += 500) {
      const batch = items.slice(i, i + 500).map((item) => ({ id: item.id, vector: Array.from(item.vector), metadata: item.metadata }));
      await this.call('POST', '/upsert', batch);
    }
  }

  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.call('POST', '/delete', ids);
  }

  async query(vector: Float32Array, topK: number): Promise<VectorMatch[]> {
    const result = await this.call<Array<{ id: string; score: number; metadata?: ChunkMetadata }>>('POST', '/query', {
      vector: Array.from(vector),
      topK,
      includeMetadata: true,
    });
    if (!Array.isArray(result)) throw new VectorIndexError('Upstash Vector /query returned no result list');
    return result.map((m) => ({
      id: String(m.id),
      // Upstash normalises COSINE scores to (1 + cos) / 2; undo it so scores and thresholds match the memory index.
      score: 2 * Number(m.score) - 1,
      metadata: m.metadata ?? { section: String(m.id).split('#')[0], heading: '', text: '' },
    }));
  }

  async count(): Promise<number> {
    const info = await this.call<{ vectorCount?: number }>('GET', '/info');
    return Number(info?.vectorCount ?? 0);
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? `timed out after ${this.timeoutMs} ms` : 'could not be reached';
      throw new VectorIndexError(`Upstash Vector ${path} ${reason}`);
    }
    const text = await response.text();
    let envelope: UpstashEnvelope<T> = {};
    try {
      envelope = text ? (JSON.parse(text) as UpstashEnvelope<T>) : {};
    } catch {
      // A non-JSON body (a proxy's HTML error page) is reported by status below.
    }
    if (!response.ok || envelope.error) {
      const detail = envelope.error ? `: ${envelope.error.slice(0, 200)}` : '';
      throw new VectorIndexError(`Upstash Vector ${path} failed with HTTP ${response.status}${detail}`);
    }
    return envelope.result as T;
  }
}
