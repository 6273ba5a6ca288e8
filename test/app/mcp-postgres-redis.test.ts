// The same MCP flows against the real PostgreSQL (a fresh schema per run, dropped afterwards) and the real Redis (L2).

import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { ADMIN_KEY, connectClient, startTwin, type RunningTwin } from './support/harness';
import { defineMcpFlows } from './support/mcp-flows';
import { dropSchema } from './support/pg-schema';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `${process.pid}_${randomBytes(4).toString('hex')}`;
const schema = `dt_test_${run}`;
const redisPrefix = `dt-test:${run}:`;

let twin: RunningTwin;

beforeAll(async () => {
  twin = await startTwin({ env: { DATABASE_URL, DATABASE_SCHEMA: schema, REDIS_URL }, redisPrefix });
  // ioredis connects asynchronously; the L2 assertions below need it up.
  for (let i = 0; i < 100 && !(await redisReady()); i++) await new Promise((r) => setTimeout(r, 20));
}, 60_000);

async function redisReady(): Promise<boolean> {
  return (twin.services.cache as unknown as { l2?: { ready: boolean } }).l2?.ready ?? false;
}

afterAll(async () => {
  await twin?.close();
  await dropSchema(DATABASE_URL, schema);
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${redisPrefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

test('the store is PostgreSQL in its own schema, with the migrations recorded', async () => {
  expect(twin.services.db.kind).toBe('postgres');
  const [row] = await twin.services.db.query<{ schema: string }>('SELECT current_schema() AS schema');
  expect(row.schema).toBe(schema);
  const versions = await twin.services.db.query<{ version: number }>('SELECT version FROM schema_migrations');
  expect(versions.map((v) => Number(v.version))).toEqual([1]);
  expect(twin.observer.pool?.().max).toBe(10);
});

test('an answer cached in Redis is served from L2 after the in-process cache is emptied', async () => {
  const client = await connectClient(twin.mcpUrl, ADMIN_KEY);
  const question = `What did you build at Kettle Labs? ${run}`;
  await client.callTool({ name: 'ask_twin', arguments: { question } });
  const redis = new Redis(REDIS_URL);
  expect((await redis.keys(`${redisPrefix}ask:*`)).length).toBeGreaterThan(0);
  redis.disconnect();

  (twin.services.cache as unknown as { l1: { clear(): void } }).l1.clear();
  const l2Before = twin.observer.count('cacheHit:L2');
  const again = (await client.callTool({ name: 'ask_twin', arguments: { question } })) as { structuredContent?: { cached: boolean } };
  expect(again.structuredContent!.cached).toBe(true);
  expect(twin.observer.count('cacheHit:L2')).toBe(l2Before + 1);
  await client.close();
});

defineMcpFlows(() => twin);

test('a profile update empties the Redis entries under this deployment prefix', async () => {
  const client = await connectClient(twin.mcpUrl, ADMIN_KEY);
  await client.callTool({ name: 'ask_twin', arguments: { question: `Tell me about your education ${run}` } });
  const redis = new Redis(REDIS_URL);
  expect((await redis.keys(`${redisPrefix}*`)).length).toBeGreaterThan(0);
  await client.callTool({ name: 'update_profile', arguments: { section: 'education', content: '# Education\n\nMSc in Computer Science, Chalmers.' } });
  expect(await redis.keys(`${redisPrefix}*`)).toEqual([]);
  redis.disconnect();
  await client.close();
});
