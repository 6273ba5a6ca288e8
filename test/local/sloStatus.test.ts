// `slo status` without a Prometheus to hand: its table (plain when piped, coloured on a terminal) and one clear
// message for every way Prometheus can fail to answer. Against a real Prometheus it runs in test/e2e.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { formatStatus } from '../../slo/status/format';
import type { StatusReport } from '../../slo/status/sloStatus';
import { freePort, ROOT } from './support/runner';

const report: StatusReport = {
  prometheus: 'http://127.0.0.1:9090',
  at: '2026-01-01T00:00:00.000Z',
  slos: [
    {
      service: 'digital-twin-mcp', slo: 'availability', objective: 99.9, window: '30d', sli: 0.9985, sliSource: 'partial',
      budgetRemaining: -0.5, budgetRemainingSeconds: -1296, budgetSeconds: 2592,
      burnRates: [{ severity: 'critical', longWindow: '1h', shortWindow: '5m', factor: 14.4, long: 20, short: 30 }],
      firing: [{ alertname: 'ErrorBudgetBurn', severity: 'critical', labels: { long_window: '1h' } }],
    },
    {
      service: 'digital-twin-mcp', slo: 'cache-hit-rate', objective: 80, window: '30d', sli: null, sliSource: 'none',
      budgetRemaining: null, budgetRemainingSeconds: null, budgetSeconds: 518400, burnRates: [], firing: [],
    },
  ],
  otherAlerts: [{ alertname: 'HighErrorRate', severity: 'critical', labels: {} }],
};

test('the plain table names each SLO with its SLI, budget left as share and time, burn rates and firing alerts', () => {
  const text = formatStatus(report, { colour: false });
  expect(text).not.toMatch(/\u001b\[/);
  const lines = text.split('\n');
  expect(lines[1]).toMatch(/^SLO +objective +SLI +budget left +burn rate \(alert at\) +firing$/);
  expect(lines[2]).toMatch(/^availability +99\.9% +99\.85% \/30d\* +-50% \(-21 min 36 s\) +1h 20\.0 \/ 5m 30\.0 \(14\.4\) +ErrorBudgetBurn\{critical,1h\}$/);
  expect(lines[3]).toMatch(/^cache-hit-rate +80% +no data +n\/a +no burn alerts +none$/);
  expect(text).toContain('* window series not recorded yet');
  expect(text).toContain('other firing alerts: HighErrorRate{critical}');
});

test('on a terminal the same table is coloured: overspent budget and firing alerts in red', () => {
  const text = formatStatus(report, { colour: true });
  expect(text).toContain('\u001b[31m-50% (-21 min 36 s)\u001b[0m');
  expect(text).toContain('\u001b[31mErrorBudgetBurn{critical,1h}\u001b[0m');
});

/** Runs `slo status` without blocking this process, which serves the fake endpoints some tests need. */
function status(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/slo.js'), 'status', ...args], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err: err.trim() })));
}

test('an unreachable Prometheus gets one message and exit 1, no stack trace', async () => {
  const port = await freePort();
  const r = await status(['--prometheus', `http://127.0.0.1:${port}`]);
  expect(r.code).toBe(1);
  expect(r.err).toBe(`slo status: Prometheus at http://127.0.0.1:${port} is unreachable (ECONNREFUSED): start it with \`npm run local\` or pass --prometheus URL`);
});

test('a URL that is not one, or a server that is not Prometheus, is named as such; credentials are not echoed', async () => {
  expect((await status(['--prometheus', 'not a url'])).err).toBe('slo status: --prometheus must be a URL such as http://127.0.0.1:9090 (got "not a url")');
  const server: Server = createServer((_req, res) => { res.writeHead(404, { 'content-type': 'text/html' }); res.end('<html>nope</html>'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  const r = await status(['--prometheus', `http://user:secret-pass@127.0.0.1:${port}/`]);
  server.close();
  expect(r.code).toBe(1);
  expect(r.err).toBe(`slo status: http://127.0.0.1:${port} answered HTTP 404 without a Prometheus API response: is it Prometheus?`);
  expect(r.err).not.toContain('secret-pass');
});

test('an invalid spec file stops before any query, with its location', async () => {
  const r = await status(['--prometheus', 'http://127.0.0.1:9', join(ROOT, 'package.json')]);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/^slo status: invalid spec, nothing written:\n.*package\.json/);
});
