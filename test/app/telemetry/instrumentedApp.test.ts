// The real server (createApp + openServices on the local PostgreSQL and Redis) wired with the telemetry layer.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import winston from 'winston';
import { METRICS } from '../../../app/telemetry/catalog';
import { createLogger } from '../../../app/telemetry/logger';
import { createTelemetry, type Telemetry } from '../../../app/telemetry/wire';
import { createApp, type BuiltApp } from '../../../app/server';
import { openServices } from '../../../app/services';
import { ADMIN_KEY, connectClient, createKey, testConfig } from '../support/harness';
import { dropSchema } from '../support/pg-schema';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `${process.pid}_${randomBytes(4).toString('hex')}`;
const schema = `dt_tel_${run}`;
const ALERT_TOKEN = 'alert-token-for-the-instrumented-app';
const QUESTION = 'What did you build with Prometheus at your last job?';

const logged: string[] = [];
let telemetry: Telemetry;
let built: BuiltApp;
let baseUrl: string;
let userKey: string;

beforeAll(async () => {
  const logger = createLogger({
    service: 'digital-twin-mcp', environment: 'test', version: '1.0.0', console: false, files: false,
    transports: [new winston.transports.Stream({ stream: new Writable({ write(c, _e, cb) { logged.push(String(c)); cb(); } }) })],
  });
  telemetry = createTelemetry({ env: { ALERT_WEBHOOK_TOKEN: ALERT_TOKEN, APP_VERSION: '1.0.0' }, logger });
  const services = await openServices(testConfig({ DATABASE_URL, DATABASE_SCHEMA: schema, REDIS_URL }), {
    logger: telemetry.logger, observer: telemetry.observer, redisPrefix: `dt-tel:${run}:`,
  });
  built = createApp({ services, ...telemetry.slots(services) });
  const { port } = await built.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${port}`;

  // traffic: key creation, MCP tool calls, a miss, a probe, an alert
  userKey = (await createKey(baseUrl, { scope: 'read', tier: 'pro', userId: 'telemetry-user' })).key;
  const client = await connectClient(`${baseUrl}/mcp`, userKey);
  await client.callTool({ name: 'ask_twin', arguments: { question: QUESTION, platform: 'cursor' } });
  await client.callTool({ name: 'ask_twin', arguments: { question: QUESTION, platform: 'emacs' } });
  await client.close();
  await fetch(`${baseUrl}/no/such/page/jane@example.com`);
  await fetch(`${baseUrl}/health`);
  await fetch(`${baseUrl}/alerts/webhook`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ALERT_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ version: '4', groupKey: 'g', status: 'firing', receiver: 'intake', alerts: [{ status: 'firing', labels: { alertname: 'HighErrorRate', severity: 'critical' }, startsAt: '2026-01-01T00:00:00Z' }] }),
  });
}, 90_000);

afterAll(async () => {
  await built?.close();
  await telemetry?.shutdown();
  await dropSchema(DATABASE_URL, schema);
});

async function scrape(): Promise<string> {
  return (await fetch(`${baseUrl}/metrics`)).text();
}

test('after traffic, /metrics passes promtool check metrics', async () => {
  const text = await scrape();
  const result = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  expect({ status: result.status, problems: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, problems: '' });
});

test('/metrics holds every catalog metric with its type, and histogram buckets include the SLO thresholds', async () => {
  const text = await scrape();
  for (const def of METRICS) expect(`${def.name} ${new RegExp(`^# TYPE ${def.name} (\\w+)$`, 'm').exec(text)?.[1]}`).toBe(`${def.name} ${def.type}`);
  // 1.5 s and 3 s are latency thresholds of slo/digital-twin-mcp.yaml, not catalog bounds
  expect(text).toMatch(/http_request_duration_seconds_bucket\{le="1.5",method="POST",route="\/mcp",status_code="200"\} \d+/);
  expect(text).toMatch(/queries_executed_total\{platform="cursor",user_tier="pro"\} 1/);
  expect(text).toMatch(/queries_executed_total\{platform="other",user_tier="pro"\} 1/);
  expect(text).toContain('alerts_received_total{severity="critical",status="firing"} 1');
  expect(text).toContain('route="unmatched",status_code="404"');
  expect(text).toMatch(/database_pool_connections_max \d+/);
});

test('no question text, key, e-mail or raw path reaches a metric label or a log line', async () => {
  const text = await scrape();
  const logs = logged.join('\n');
  for (const secret of [QUESTION, userKey, ADMIN_KEY, 'jane@example.com', 'emacs']) {
    expect(text).not.toContain(secret);
  }
  for (const secret of [QUESTION, userKey, ADMIN_KEY, 'jane@example.com']) expect(logs).not.toContain(secret);
  expect(logs).toContain('"message":"Alert received"');
});

test('every request is logged with its request id, echoed in the response', async () => {
  const res = await fetch(`${baseUrl}/health/liveness`, { headers: { 'x-request-id': 'wired-1' } });
  expect(res.headers.get('x-request-id')).toBe('wired-1');
  for (let i = 0; i < 100 && !logged.some((l) => l.includes('"requestId":"wired-1"')); i++) await new Promise((r) => setTimeout(r, 10));
  expect(logged.find((l) => l.includes('"requestId":"wired-1"'))).toContain('"route":"/health/liveness"');
});

test('/health reports the real database, vector store and Redis', async () => {
  const body = await (await fetch(`${baseUrl}/health`)).json() as { checks: Record<string, { healthy: boolean }> };
  expect(body.checks.database.healthy).toBe(true);
  expect(body.checks.vectorStore.healthy).toBe(true);
  expect(body.checks.redis.healthy).toBe(true);
  expect(body.checks.llm.healthy).toBe(false);
});
