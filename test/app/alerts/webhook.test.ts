// Alert intake: Alertmanager's v4 webhook payload accepted with a bearer token, logged and counted; bad requests refused.
import { spawn } from 'node:child_process';
import express from 'express';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alertWebhookRouter, tokenMatches } from '../../../app/alerts/webhook';
import { parseWebhookPayload } from '../../../app/alerts/payload';
import { createMetrics } from '../../../app/telemetry/metrics';
import { closedPort, eventually } from '../telemetry/elasticsearchStandIn';
import { listen, type Listening } from '../telemetry/httpServer';

const TOKEN = 'alert-intake-token-0123456789';

function payload(overrides: Record<string, unknown> = {}) {
  return {
    version: '4', groupKey: '{}:{alertname="HighErrorRate"}', truncatedAlerts: 0, status: 'firing', receiver: 'intake',
    groupLabels: { alertname: 'HighErrorRate' }, commonLabels: { service: 'digital-twin-mcp' }, commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: [
      { status: 'firing', labels: { alertname: 'HighErrorRate', severity: 'critical', service: 'digital-twin-mcp' },
        annotations: { summary: 'Error budget burning', runbook_url: 'https://runbooks/high-error-rate' },
        startsAt: '2026-01-01T00:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom/graph', fingerprint: 'abc' },
      { status: 'resolved', labels: { alertname: 'LowCacheHitRate', severity: 'page-me-maybe' },
        annotations: {}, startsAt: '2026-01-01T00:00:00Z', endsAt: '2026-01-01T01:00:00Z' },
    ],
    ...overrides,
  };
}

describe('POST /alerts/webhook', () => {
  const logged: Array<{ message: string; meta?: Record<string, unknown> }> = [];
  const metrics = createMetrics({ collectDefaults: false });
  let server: Listening;
  let unconfigured: Listening;
  beforeAll(async () => {
    const logger = { error: (message: string, meta?: Record<string, unknown>) => logged.push({ message, meta }) };
    const app = express();
    app.use(alertWebhookRouter({ token: TOKEN, logger, metrics }));
    server = await listen(app);
    const bare = express();
    bare.use(alertWebhookRouter({ token: undefined, logger, metrics }));
    unconfigured = await listen(bare);
  });
  afterAll(async () => {
    await server.close();
    await unconfigured.close();
  });
  beforeEach(() => {
    logged.length = 0;
  });

  const post = (body: string, headers: Record<string, string> = {}, base = server.url) => fetch(`${base}/alerts/webhook`, {
    method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
  });

  it('logs every alert at error level with labels and annotations, and counts them by severity and status', async () => {
    const res = await post(JSON.stringify(payload()));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 2 });
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({
      message: 'Alert received',
      meta: { alertname: 'HighErrorRate', status: 'firing', severity: 'critical', labels: { service: 'digital-twin-mcp' }, annotations: { summary: 'Error budget burning' } },
    });
    const text = await metrics.render('prometheus');
    expect(text).toContain('alerts_received_total{severity="critical",status="firing"} 1');
    expect(text).toContain('alerts_received_total{severity="other",status="resolved"} 1');
  });

  it('refuses a missing or wrong bearer token with 401 and logs nothing', async () => {
    expect((await post(JSON.stringify(payload()), { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(JSON.stringify(payload()), { authorization: '' })).status).toBe(401);
    expect((await post(JSON.stringify(payload()), { authorization: `Basic ${TOKEN}` })).status).toBe(401);
    expect(logged).toHaveLength(0);
  });

  it('answers 503 naming the setting when no token is configured', async () => {
    const res = await post(JSON.stringify(payload()), {}, unconfigured.url);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toMatch(/ALERT_WEBHOOK_TOKEN/);
  });

  it('rejects a malformed payload with 400 and a message naming the field', async () => {
    const bad = payload({ alerts: [{ status: 'burning', labels: { alertname: 'X' }, annotations: {}, startsAt: 'now' }] });
    const res = await post(JSON.stringify(bad));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^invalid Alertmanager webhook payload: alerts\[0\]\.status: /);
    const wrongVersion = await post(JSON.stringify(payload({ version: '3' })));
    expect(((await wrongVersion.json()) as { error: string }).error).toMatch(/version/);
    const noName = await post(JSON.stringify(payload({ alerts: [{ status: 'firing', labels: {}, startsAt: 'now' }] })));
    expect(((await noName.json()) as { error: string }).error).toMatch(/alerts\[0\]\.labels: must include a non-empty alertname/);
    expect(logged).toHaveLength(0);
  });

  it('answers 400 to broken JSON and 415 to other content types, never a stack trace', async () => {
    const broken = await post('{"version":');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'request body is not valid JSON' });
    const text = await post('hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
  });

  it('compares tokens in constant time over digests (any length)', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches('short', TOKEN)).toBe(false);
    expect(tokenMatches(`${TOKEN}x`, TOKEN)).toBe(false);
  });

  it('parses a payload without optional fields', () => {
    const minimal = { version: '4', groupKey: 'k', status: 'firing', receiver: 'r', alerts: [{ status: 'firing', labels: { alertname: 'A' }, startsAt: 't' }] };
    expect(parseWebhookPayload(minimal)).toMatchObject({ ok: true, payload: { alerts: [{ annotations: {} }] } });
  });
});

describe('delivery by the real Alertmanager 0.25 (/usr/bin/prometheus-alertmanager)', () => {
  it('authenticates with credentials_file and its version 4 payload is accepted and logged', async () => {
    const logged: Array<Record<string, unknown> | undefined> = [];
    const metrics = createMetrics({ collectDefaults: false });
    const app = express();
    app.use(alertWebhookRouter({ token: TOKEN, logger: { error: (_m, meta) => logged.push(meta) }, metrics }));
    const intake = await listen(app);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'am-'));
    writeFileSync(path.join(dir, 'token'), TOKEN);
    writeFileSync(path.join(dir, 'alertmanager.yml'), [
      'route:', '  receiver: intake', '  group_wait: 0s', '  group_interval: 1s', '  repeat_interval: 1h',
      'receivers:', '  - name: intake', '    webhook_configs:', `      - url: ${intake.url}/alerts/webhook`, '        send_resolved: true',
      '        http_config:', '          authorization:', `            credentials_file: ${path.join(dir, 'token')}`, '',
    ].join('\n'));
    const apiPort = await closedPort();
    const am = spawn('/usr/bin/prometheus-alertmanager', [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${dir}`,
      `--web.listen-address=127.0.0.1:${apiPort}`, '--cluster.listen-address=',
    ], { stdio: 'ignore' });
    try {
      const alert = [{ labels: { alertname: 'HighErrorRate', severity: 'critical', service: 'digital-twin-mcp' }, annotations: { summary: 'budget burning' } }];
      let posted = false;
      const deadline = Date.now() + 20_000;
      while (!posted && Date.now() < deadline) {
        posted = await fetch(`http://127.0.0.1:${apiPort}/api/v2/alerts`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alert),
        }).then((r) => r.ok, () => false);
        if (!posted) await new Promise((r) => setTimeout(r, 100));
      }
      expect(posted).toBe(true);
      await eventually(() => logged.length > 0, 'the alert to reach the webhook', 30_000);
      expect(logged[0]).toMatchObject({ alertname: 'HighErrorRate', status: 'firing', severity: 'critical', annotations: { summary: 'budget burning' }, receiver: 'intake' });
      expect(await metrics.render('prometheus')).toContain('alerts_received_total{severity="critical",status="firing"} 1');
    } finally {
      am.kill('SIGTERM');
      await intake.close();
    }
  });
});
