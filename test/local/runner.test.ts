// The runner as a user meets it: a second start, a port in use and a missing binary each get one clear message;
// the fault route needs the admin key; Prometheus killed mid-run is restarted once, killed again stops everything;
// Ctrl-C leaves no process behind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive, freePorts, interrupt, portArgs, processesMentioning, readState, startRunner, tempDataDir, waitFor, waitUp, type Runner, type RunnerPorts } from './support/runner';

jest.setTimeout(240_000);

const dataDir = tempDataDir('local-runner');
let ports: RunnerPorts;
let runner: Runner;
const seenPids = new Set<number>();

beforeAll(async () => {
  ports = await freePorts();
  runner = startRunner(['--data-dir', dataDir, ...portArgs(ports), '--rate', '2']);
  await waitUp(runner);
  for (const pid of Object.values(readState(dataDir).pids)) if (pid) seenPids.add(pid);
});
afterAll(async () => {
  if (runner) await interrupt(runner);
});

test('it prints progress per component and where to look', () => {
  const out = runner.output();
  for (const line of [/sinks +ready/, /app +ready \(pid \d+\)/, /Alertmanager +ready/, /Prometheus +ready/, /traffic +2 MCP calls\/s/]) expect(out).toMatch(line);
  expect(out).toContain(`Prometheus UI     http://127.0.0.1:${ports.prometheus}/graph`);
  expect(out).toContain(`alerts            http://127.0.0.1:${ports.prometheus}/alerts`);
  expect(out).toContain(join(dataDir, 'logs', 'sinks.log'));
});

test('starting twice on the same data folder is refused, naming the running pid', async () => {
  const other = await freePorts();
  const second = startRunner(['--data-dir', dataDir, ...portArgs(other)]);
  const { code } = await second.exited;
  expect(code).toBe(1);
  expect(second.output().trim()).toBe(`local: the local stack is already running (pid ${runner.child.pid}, lock ${join(dataDir, 'local.pid')}): stop it with Ctrl-C in its terminal or \`kill ${runner.child.pid}\`, or use another --data-dir`);
});

test('a port in use is named with the option that moves it, and nothing is started', async () => {
  const other = await freePorts();
  const dir = tempDataDir('local-busy');
  const busy = startRunner(['--data-dir', dir, ...portArgs({ ...other, prometheus: ports.prometheus })]);
  const { code } = await busy.exited;
  expect(code).toBe(1);
  expect(busy.output()).toContain(`already in use on 127.0.0.1: port ${ports.prometheus} for Prometheus (--prometheus-port)`);
  expect(busy.output()).not.toContain('starting');
});

test('a missing Prometheus binary says how to install it', async () => {
  const other = await freePorts();
  const missing = startRunner(['--data-dir', tempDataDir('local-missing'), ...portArgs(other)], { ...process.env, PATH: '/nonexistent' });
  const { code } = await missing.exited;
  expect(code).toBe(1);
  expect(missing.output().trim()).toBe('local: `prometheus` and `prometheus-alertmanager` (or `alertmanager`) not found on PATH: run `bash scripts/setup`, or `sudo apt-get install prometheus prometheus-alertmanager`');
});

test('bad options get one message and the usage', async () => {
  const bad = startRunner(['--app-port', 'eighty']);
  expect((await bad.exited).code).toBe(2);
  expect(bad.output()).toContain('local: --app-port must be a port number from 1 to 65535 (got "eighty")');
});

test('the fault route needs the admin key and validates what it is sent', async () => {
  const url = `${readState(dataDir).urls.app}/admin/fault`;
  const key = readFileSync(join(dataDir, 'secrets', 'admin-api-key'), 'utf8').trim();
  const put = (body: string, auth?: string) => fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) }, body });
  expect((await put('{"errorRate":1}')).status).toBe(401);
  expect((await put('{"errorRate":1}', 'not-the-key-at-all-0000000000')).status).toBe(401);
  const bad = await put('{"errorRate":"lots"}', key);
  expect(bad.status).toBe(400);
  expect(await bad.json()).toEqual({ error: 'errorRate must be a number from 0 to 1' });
  const ok = await put('{"latencyMs":10}', key);
  expect(await ok.json()).toEqual({ errorRate: 0, latencyMs: 10 });
  // The key never reaches the logs.
  const logs = readFileSync(join(dataDir, 'logs', 'app.out.log'), 'utf8');
  expect(logs).not.toContain(key);
  expect(runner.output()).not.toContain(key);
});

test('Prometheus killed mid-run is reported and restarted once; killed again, the runner stops everything and exits 1', async () => {
  const first = readState(dataDir).pids.Prometheus!;
  process.kill(first, 'SIGKILL');
  await waitFor('Prometheus to be restarted', () => (/Prometheus +ready again \(pid \d+\)/.test(runner.output()) || undefined), 60_000, runner.output);
  expect(runner.output()).toContain('Prometheus exited unexpectedly (killed by SIGKILL); see');
  const second = readState(dataDir).pids.Prometheus!;
  expect(second).not.toBe(first);
  seenPids.add(second);
  const ready = await fetch(`${readState(dataDir).urls.prometheus}/-/ready`);
  expect(ready.status).toBe(200);

  process.kill(second, 'SIGKILL');
  const { code } = await runner.exited;
  expect(code).toBe(1);
  expect(runner.output()).toContain('Prometheus exited again (killed by SIGKILL)');
  expect(runner.output()).toContain('stopped after a failure; nothing left running');
  for (const pid of seenPids) expect(`${pid} ${alive(pid) ? 'alive' : 'gone'}`).toBe(`${pid} gone`);
  expect(processesMentioning(dataDir)).toEqual([]);
});

test('after a restart on the same data folder, Ctrl-C stops everything and exits 0', async () => {
  runner = startRunner(['--data-dir', dataDir, ...portArgs(ports), '--rate', '0']);
  await waitUp(runner);
  const pids = Object.values(readState(dataDir).pids).filter((p): p is number => Boolean(p));
  expect(pids).toHaveLength(4);
  const { code } = await interrupt(runner);
  expect(code).toBe(0);
  for (const pid of pids) expect(`${pid} ${alive(pid) ? 'alive' : 'gone'}`).toBe(`${pid} gone`);
  expect(processesMentioning(dataDir)).toEqual([]);
});

test('Ctrl-C while the app is still starting stops what was started and exits 130', async () => {
  const dir = tempDataDir('local-interrupted');
  const early = startRunner(['--data-dir', dir, ...portArgs(await freePorts()), '--rate', '0']);
  await waitFor('the app to be starting', () => (/app +starting/.test(early.output()) || undefined), 60_000, early.output, 100);
  const { code } = await interrupt(early);
  expect(code).toBe(130);
  expect(early.output()).toContain('local: interrupted during start-up; everything started has been stopped');
  expect(processesMentioning(dir)).toEqual([]);
});
