// Admin API on PostgreSQL: key lifecycle, validation, query analytics aggregates; CLI against the same store; no secret in logs.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import type { QueryStats } from '../../app/analytics/query-analytics';
import { popularTopics } from '../../app/analytics/topics';
import { ADMIN_KEY, connectClient, startTwin, storeSnapshot, type RunningTwin } from './support/harness';
import { dropSchema } from './support/pg-schema';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `dt_test_admin_${process.pid}_${randomBytes(4).toString('hex')}`;
const logLines: string[] = [];
const capture = (level: string) => (message: string, meta?: Record<string, unknown>) => {
  logLines.push(JSON.stringify({ level, message, ...meta }));
};
let twin: RunningTwin;

beforeAll(async () => {
  twin = await startTwin({
    env: { DATABASE_URL, DATABASE_SCHEMA: schema },
    logger: { info: capture('info'), warn: capture('warn'), error: capture('error'), debug: capture('debug') },
  });
}, 60_000);

afterAll(async () => {
  await twin?.close();
  await dropSchema(DATABASE_URL, schema);
});

const admin = (method: string, route: string, body?: unknown, key = ADMIN_KEY) =>
  fetch(`${twin.baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

test('a created key is shown once, stored only as a hash, listed without it, and stops working when revoked', async () => {
  const res = await admin('POST', '/admin/keys', { scope: 'read', tier: 'pro', name: 'laptop', userId: 'alice' });
  expect(res.status).toBe(201);
  const created = (await res.json()) as { id: string; key: string; scope: string; tier: string; userId: string };
  expect(created).toMatchObject({ scope: 'read', tier: 'pro', userId: 'alice' });
  expect(created.key).toMatch(/^dtk_[A-Za-z0-9_-]{43}$/);
  expect(twin.observer.count('apiKeyCreated')).toBe(1);

  const stored = await twin.services.db.query<Record<string, string>>('SELECT * FROM api_keys WHERE id = $1', [created.id]);
  expect(JSON.stringify(stored)).not.toContain(created.key);
  expect(stored[0].key_hash).toMatch(/^[0-9a-f]{64}$/);

  const list = (await (await admin('GET', '/admin/keys')).json()) as { keys: Array<Record<string, unknown>> };
  expect(JSON.stringify(list)).not.toContain(created.key);
  expect(JSON.stringify(list)).not.toContain(stored[0].key_hash);
  expect(list.keys.find((k) => k.id === created.id)).toMatchObject({ revokedAt: null, name: 'laptop' });

  const client = await connectClient(twin.mcpUrl, created.key);
  await client.listTools();
  await client.close();
  expect((await admin('DELETE', `/admin/keys/${created.id}`)).status).toBe(200);
  await expect(connectClient(twin.mcpUrl, created.key)).rejects.toMatchObject({ code: 401 });
  expect((await admin('DELETE', '/admin/keys/key_nope')).status).toBe(404);
  expect(logLines.join('\n')).not.toContain(created.key);
});

test('bad admin requests are 4xx with one clear message and change nothing', async () => {
  const before = await storeSnapshot(twin.services.db);
  const cases: Array<[Response, number, string]> = [
    [await admin('POST', '/admin/keys', { scope: 'root' }), 400, 'Invalid key request: scope must be one of read, write, admin'],
    [await admin('POST', '/admin/keys', { scope: 'read', tier: 'gold' }), 400, 'Invalid key request: tier must be one of free, pro, enterprise'],
    [await admin('POST', '/admin/keys', { scope: 'read', owner: 'x' }), 400, 'Invalid key request: unknown field(s): owner'],
    [await admin('POST', '/admin/keys', '{"scope": '), 400, 'Invalid request: the body is not valid JSON'],
    [await admin('GET', '/admin/analytics?from=yesterday'), 400, 'Invalid analytics query: from must be an ISO 8601 date or date-time (got "yesterday")'],
    [await admin('GET', '/admin/analytics?from=2026-02-01&to=2026-01-01'), 400, 'Invalid analytics query: from must be earlier than to'],
    [await admin('GET', '/admin/keys', undefined, 'dtk_not_a_real_key'), 401, 'Unauthorized: the API key is unknown or has been revoked'],
  ];
  for (const [res, status, message] of cases) {
    expect({ status: res.status, body: await res.json() }).toEqual({ status, body: { error: message } });
  }
  const noKey = await fetch(`${twin.baseUrl}/admin/keys`);
  expect(noKey.status).toBe(401);
  expect(await storeSnapshot(twin.services.db)).toEqual(before);
});

test('analytics aggregate totals, users, latency percentiles, platforms, tiers, hours, top questions, success rate and topics', async () => {
  const events = twin.services.events;
  const base = new Date('2026-03-10T00:00:00Z');
  const at = (hour: number) => new Date(base.getTime() + hour * 3_600_000);
  const rows = [
    { userId: 'u1', platform: 'claude', tier: 'pro', latencyMs: 10, success: true, question: 'What Kubernetes experience do you have?', occurredAt: at(9) },
    { userId: 'u1', platform: 'claude', tier: 'pro', latencyMs: 20, success: true, question: 'what kubernetes experience do you have? ', occurredAt: at(9) },
    { userId: 'u2', platform: 'cursor', tier: 'free', latencyMs: 30, success: true, question: 'Which observability tools do you use?', occurredAt: at(14) },
    { userId: 'u3', platform: 'other', tier: 'enterprise', latencyMs: 1000, success: false, question: 'Kubernetes operators?', occurredAt: at(23) },
  ];
  for (const r of rows) await events.record({ ...r, keyId: 'k', tool: 'ask_twin', resultsCount: 3 });
  // Outside the range: must not count.
  await events.record({ ...rows[0], keyId: 'k', tool: 'ask_twin', resultsCount: 3, occurredAt: new Date('2026-03-12T00:00:00Z') });

  const res = await admin('GET', `/admin/analytics?from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z`);
  expect(res.status).toBe(200);
  const stats = (await res.json()) as QueryStats;
  expect(stats).toMatchObject({
    totalQueries: 4, uniqueUsers: 3, averageLatencyMs: 265, successRate: 0.75,
    byPlatform: { claude: 2, cursor: 1, other: 1 }, byUserTier: { pro: 2, free: 1, enterprise: 1 }, byTool: { ask_twin: 4 },
  });
  expect(stats.p95LatencyMs).toBeCloseTo(854.5, 5); // percentile_cont over [10, 20, 30, 1000]: 30 + 0.85 * 970
  expect(stats.p99LatencyMs).toBeCloseTo(970.9, 5);
  expect(stats.byHour[9]).toBe(2);
  expect(stats.byHour[14]).toBe(1);
  expect(stats.byHour[23]).toBe(1);
  expect(stats.byHour.reduce((a, b) => a + b, 0)).toBe(4);
  expect(stats.topQuestions[0]).toEqual({ question: 'What Kubernetes experience do you have?', count: 2 });
  expect(stats.popularTopics.windowDays).toBe(30);
});

test('popular topics count each question once and fold plurals only onto words also asked about', () => {
  const topics = popularTopics(['Kubernetes operators?', 'Which operator patterns?', 'What about Kubernetes and Kubernetes?', 'Tell me about SLOs']);
  expect(topics.slice(0, 2)).toEqual([
    { topic: 'kubernetes', queries: 2, share: 0.5 },
    { topic: 'operator', queries: 2, share: 0.5 },
  ]);
  expect(topics.map((t) => t.topic)).toContain('slos');
});

test('the keys CLI creates, lists and revokes keys in the configured store, and rejects bad arguments before opening it', async () => {
  const run = promisify(execFile);
  const cli = path.resolve(__dirname, '../../app/cli.ts');
  const env = { ...process.env, DATABASE_URL, DATABASE_SCHEMA: schema, NODE_OPTIONS: '' };
  const created = await run('node', ['-r', 'tsx/cjs', cli, 'keys', 'create', '--scope', 'write', '--tier', 'enterprise', '--user', 'bob'], { env });
  const id = /created (key_[0-9a-f]+) \(scope write, tier enterprise, user bob\)/.exec(created.stdout)![1];
  const key = /key: (dtk_\S+)/.exec(created.stdout)![1];
  const client = await connectClient(twin.mcpUrl, key);
  await client.listTools();
  await client.close();
  const listed = await run('node', ['-r', 'tsx/cjs', cli, 'keys', 'list'], { env });
  expect(listed.stdout).toMatch(new RegExp(`${id}\\twrite\\tenterprise\\tbob\\tactive`));
  expect(listed.stdout).not.toContain(key);
  await run('node', ['-r', 'tsx/cjs', cli, 'keys', 'revoke', id], { env });
  await expect(connectClient(twin.mcpUrl, key)).rejects.toMatchObject({ code: 401 });

  const bad = await run('node', ['-r', 'tsx/cjs', cli, 'keys', 'create', '--scope', 'root'], { env }).catch((e: { code: number; stderr: string }) => e);
  expect(bad).toMatchObject({ code: 2, stderr: '--scope must be one of read, write, admin (got "root")\n' });
}, 60_000);
