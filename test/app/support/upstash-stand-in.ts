// Upstash Vector stand-in: a local HTTP server speaking its REST protocol (/upsert, /query, /delete, /info, bearer token).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Stored {
  id: string;
  vector: number[];
  metadata?: unknown;
}

export interface UpstashStandIn {
  url: string;
  token: string;
  vectors: Map<string, Stored>;
  calls: string[];
  failNext(status: number, error: string): void;
  close(): Promise<void>;
}

export async function startUpstashStandIn(token = 'upstash-test-token'): Promise<UpstashStandIn> {
  const vectors = new Map<string, Stored>();
  const calls: string[] = [];
  let failure: { status: number; error: string } | undefined;
  const send = (res: import('node:http').ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server: Server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    calls.push(`${req.method} ${req.url}`);
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { error: 'Unauthorized: Invalid auth token' });
    if (failure) {
      const f = failure;
      failure = undefined;
      return send(res, f.status, { error: f.error });
    }
    const body = raw ? JSON.parse(raw) : undefined;
    switch (`${req.method} ${req.url}`) {
      case 'POST /upsert': {
        const items: Stored[] = Array.isArray(body) ? body : [body];
        for (const item of items) vectors.set(String(item.id), item);
        return send(res, 200, { result: 'Success' });
      }
      case 'POST /delete': {
        let deleted = 0;
        for (const id of body as string[]) if (vectors.delete(id)) deleted++;
        return send(res, 200, { result: { deleted } });
      }
      case 'POST /query': {
        const q: number[] = body.vector;
        const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
        // Upstash reports COSINE similarity normalised to [0, 1]: (1 + cos) / 2.
        const scored = [...vectors.values()].map((v) => {
          const cos = v.vector.reduce((s, x, i) => s + x * q[i], 0) / (norm(v.vector) * norm(q));
          return { id: v.id, score: (1 + cos) / 2, ...(body.includeMetadata ? { metadata: v.metadata } : {}) };
        });
        scored.sort((a, b) => b.score - a.score);
        return send(res, 200, { result: scored.slice(0, body.topK ?? 10) });
      }
      case 'GET /info':
        return send(res, 200, {
          result: { vectorCount: vectors.size, pendingVectorCount: 0, indexSize: 0, dimension: vectors.values().next().value?.vector.length ?? 0, similarityFunction: 'COSINE' },
        });
      default:
        return send(res, 404, { error: `unknown endpoint ${req.method} ${req.url}` });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    vectors,
    calls,
    failNext(status, error) {
      failure = { status, error };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
