// The Upstash Vector adapter against a local server speaking its REST protocol (bearer token, /upsert, /query, /delete, /info).

import { HashedNgramEmbedder } from '../../../app/twin/embedding';
import { MemoryVectorIndex } from '../../../app/twin/memory-index';
import { ProfileIndex } from '../../../app/twin/profile-index';
import { UpstashVectorIndex } from '../../../app/twin/upstash-index';
import { VectorIndexError } from '../../../app/twin/vector-index';
import { openPglite } from '../../../app/store/pglite-db';
import { ADMIN_KEY, connectClient, startTwin } from '../support/harness';
import { startUpstashStandIn, type UpstashStandIn } from '../support/upstash-stand-in';

let upstash: UpstashStandIn;
beforeAll(async () => {
  upstash = await startUpstashStandIn();
});
afterAll(() => upstash.close());

const profileText = '# Skills\n\nKubernetes, Helm and Argo CD.\n\nPrometheus, PromQL and burn-rate alerts.\n\nGo and TypeScript daily.';

test('indexes, queries, counts and deletes through the REST protocol, ranking like the memory index', async () => {
  const remote = new ProfileIndex(new HashedNgramEmbedder(64), new UpstashVectorIndex({ url: `${upstash.url}/`, token: upstash.token }));
  const local = new ProfileIndex(new HashedNgramEmbedder(64), new MemoryVectorIndex());
  await remote.indexSection('skills', profileText);
  await local.indexSection('skills', profileText);
  expect(upstash.vectors.size).toBe(3);
  expect(await remote.index.count()).toBe(3);

  const [r, l] = await Promise.all([remote.search('PromQL alerts', 3), local.search('PromQL alerts', 3)]);
  expect(r.map((m) => m.id)).toEqual(l.map((m) => m.id));
  r.forEach((m, i) => expect(m.score).toBeCloseTo(l[i].score, 5));
  expect(r[0].metadata).toEqual({ section: 'skills', heading: 'Skills', text: 'Prometheus, PromQL and burn-rate alerts.' });

  await remote.indexSection('skills', '# Skills\n\nOnly Go.');
  expect([...upstash.vectors.keys()]).toEqual(['skills#0']);
  expect(upstash.calls).toEqual(expect.arrayContaining(['POST /upsert', 'POST /query', 'POST /delete', 'GET /info']));
});

test('a wrong token and a server error become VectorIndexError with the status and Upstash message', async () => {
  const wrong = new UpstashVectorIndex({ url: upstash.url, token: 'wrong-token' });
  const err = await wrong.count().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(VectorIndexError);
  expect((err as Error).message).toBe('Upstash Vector /info failed with HTTP 401: Unauthorized: Invalid auth token');
  expect((err as Error).message).not.toContain('wrong-token');

  upstash.failNext(503, 'Service Unavailable');
  const index = new UpstashVectorIndex({ url: upstash.url, token: upstash.token });
  await expect(index.query(new Float32Array(64), 3)).rejects.toThrow('Upstash Vector /query failed with HTTP 503: Service Unavailable');
});

test('an unreachable Upstash is a clear error', async () => {
  const index = new UpstashVectorIndex({ url: 'http://127.0.0.1:9', token: 't', timeoutMs: 500 });
  await expect(index.count()).rejects.toThrow('Upstash Vector /info could not be reached');
});

test('VECTOR_BACKEND=upstash makes the server index and search through Upstash', async () => {
  const db = await openPglite('memory://');
  upstash.vectors.clear();
  const twin = await startTwin({ db, env: { VECTOR_BACKEND: 'upstash', UPSTASH_VECTOR_REST_URL: upstash.url, UPSTASH_VECTOR_REST_TOKEN: upstash.token } });
  try {
    expect(twin.services.index.index.kind).toBe('upstash');
    expect(upstash.vectors.size).toBe(twin.services.index.chunkCount());
    const client = await connectClient(twin.mcpUrl, ADMIN_KEY);
    const result = (await client.callTool({ name: 'search_profile', arguments: { query: 'Chalmers thesis', limit: 1 } })) as {
      structuredContent?: { results: Array<{ section: string }> };
    };
    expect(result.structuredContent!.results[0].section).toBe('education');
    await client.close();
  } finally {
    await twin.close();
    await db.close();
  }
}, 60_000);
