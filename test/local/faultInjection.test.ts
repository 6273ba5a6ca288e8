// Fault injection: off unless FAULT_INJECTION=1; when on, the share of failed requests and the added latency
// follow what was set, and the fault route itself is never affected.
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { FAULT_PATH, faultInjectionFromEnv, faultMiddleware } from '../../app/fault/faultInjection';
import { FaultState, faultsUpdate } from '../../app/fault/faultState';
import type { ApiKeys } from '../../app/auth/api-keys';
import { silentObserver } from '../../app/observer';

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };
// The key store is not consulted unless a request reaches the fault route; these tests never send one there.
const noKeys = {} as ApiKeys;

let server: Server;
let base: string;
const state = new FaultState();
let draws: number[] = [];

beforeAll(async () => {
  const app = express();
  app.use(faultMiddleware(state, () => draws.shift() ?? 0.99));
  app.post('/mcp', (_req, res) => { res.json({ ok: true }); });
  app.get(FAULT_PATH, (_req, res) => { res.json({ reached: true }); });
  await new Promise<void>((r) => { server = app.listen(0, '127.0.0.1', () => r()); });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

test('off by default: without FAULT_INJECTION=1 the app gets no fault handlers at all', () => {
  const deps = { keys: noKeys, observer: silentObserver, logger: quietLogger };
  expect(faultInjectionFromEnv({}, deps)).toBeUndefined();
  expect(faultInjectionFromEnv({ FAULT_INJECTION: 'true' }, deps)).toBeUndefined();
  expect(faultInjectionFromEnv({ FAULT_INJECTION: '1' }, deps)).toHaveLength(2);
});

test('requests whose draw falls under the error rate get a 503 in JSON-RPC shape on /mcp; the others pass', async () => {
  state.set({ errorRate: 0.5, latencyMs: 0 });
  draws = [0.2, 0.7, 0.49, 0.5];
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await fetch(`${base}/mcp`, { method: 'POST' });
    statuses.push(res.status);
    if (res.status === 503) expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { message: 'Service unavailable: fault injected' } });
    else await res.arrayBuffer();
  }
  expect(statuses).toEqual([503, 200, 503, 200]);
});

test('the fault route is never failed, so faults can always be switched off', async () => {
  state.set({ errorRate: 1 });
  const res = await fetch(`${base}${FAULT_PATH}`);
  expect(res.status).toBe(200);
  state.set({ errorRate: 0 });
});

test('added latency delays the request by at least the set time', async () => {
  state.set({ latencyMs: 300, errorRate: 0 });
  const started = performance.now();
  await (await fetch(`${base}/mcp`, { method: 'POST' })).arrayBuffer();
  expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  state.set({ latencyMs: 0 });
});

test('updates are validated with one message per problem and partial updates keep the other field', () => {
  expect(faultsUpdate.safeParse({ errorRate: 1.5 }).error?.issues[0].message).toBe('errorRate must be at most 1');
  expect(faultsUpdate.safeParse({ latencyMs: 1.5 }).error?.issues[0].message).toBe('latencyMs must be a whole number of milliseconds');
  expect(faultsUpdate.safeParse({ other: 1 }).success).toBe(false);
  const s = new FaultState();
  s.set({ errorRate: 0.25 });
  expect(s.set({ latencyMs: 2000 })).toEqual({ errorRate: 0.25, latencyMs: 2000 });
});
