// Elasticsearch stand-in for tests: a loopback HTTP server speaking the `_bulk` NDJSON protocol.
// Elasticsearch itself cannot run on the build machines; this checks what our transport really sends.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type BulkMode =
  | { kind: 'ok' }
  /** Answer the whole request with this status `times` times, then behave as ok. */
  | { kind: 'status'; status: number; times: number }
  /** Accept the connection and never answer. */
  | { kind: 'hang' }
  /** Per-item statuses, by position in the request, for the next request only. */
  | { kind: 'items'; statuses: number[] };

export interface ElasticsearchStandIn {
  url: string;
  docs: Array<Record<string, unknown>>;
  actions: Array<Record<string, unknown>>;
  authorizations: Array<string | undefined>;
  requests: number;
  setMode(mode: BulkMode): void;
  close(): Promise<void>;
}

export function startElasticsearchStandIn(): Promise<ElasticsearchStandIn> {
  let mode: BulkMode = { kind: 'ok' };
  const standIn = {
    docs: [] as Array<Record<string, unknown>>,
    actions: [] as Array<Record<string, unknown>>,
    authorizations: [] as Array<string | undefined>,
    requests: 0,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/_bulk') {
        res.writeHead(404).end();
        return;
      }
      standIn.requests += 1;
      standIn.authorizations.push(req.headers.authorization);
      if (mode.kind === 'hang') return;
      if (mode.kind === 'status' && mode.times > 0) {
        mode.times -= 1;
        res.writeHead(mode.status, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
        return;
      }
      const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l.length > 0);
      if (lines.length % 2 !== 0) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"malformed bulk body"}');
        return;
      }
      const statuses = mode.kind === 'items' ? mode.statuses : [];
      if (mode.kind === 'items') mode = { kind: 'ok' };
      const items: unknown[] = [];
      for (let i = 0; i < lines.length; i += 2) {
        const action = JSON.parse(lines[i]) as Record<string, unknown>;
        const doc = JSON.parse(lines[i + 1]) as Record<string, unknown>;
        const status = statuses[i / 2] ?? 201;
        if (status < 300) {
          standIn.actions.push(action);
          standIn.docs.push(doc);
        }
        items.push({ index: { _index: (action.index as { _index: string })._index, status, ...(status >= 300 ? { error: { type: 'x' } } : {}) } });
      }
      const errors = items.some((it) => (it as { index: { status: number } }).index.status >= 300);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ took: 1, errors, items }));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(Object.assign(standIn, {
        url: `http://127.0.0.1:${port}`,
        setMode: (m: BulkMode) => { mode = m; },
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      }));
    });
  });
}

/** A loopback port with nothing listening: connection refused. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Polls `check` until true; bounded so a broken transport fails the test instead of hanging it. */
export async function eventually(check: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
