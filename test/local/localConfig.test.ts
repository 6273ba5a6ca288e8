// The local stack's configuration: the rules are the ones that ship, Alertmanager routes the same way with only
// group_interval shortened, promtool and amtool accept what is written, and secrets stay in 0600 files.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { layoutOf, localAlertmanager, LOCAL_GROUP_INTERVAL, newSecrets, writeLocalConfig, DEFAULT_PORTS } from '../../infra/local/localConfig';
import type { AlertmanagerConfig, AmRoute } from '../../slo/alertmanager/config';
import { loadAll } from '../../slo/cli/render';
import { generate } from '../../slo/generate';
import { defaultStackConfig } from '../../slo/stack';
import { ROOT, tempDataDir } from './support/runner';

const specs = loadAll([join(ROOT, 'slo/digital-twin-mcp.yaml')]);
const layout = layoutOf(tempDataDir('local-config'));
const secrets = newSecrets();
const sinks = { pagerdutyUrl: 'http://127.0.0.1:9097/v2/enqueue', slackWebhookUrl: `http://127.0.0.1:9097/slack/${secrets.slackToken}`, smtpSmarthost: '127.0.0.1:2525' };
const artifacts = writeLocalConfig(layout, specs, DEFAULT_PORTS, sinks, secrets);

/** What decides when a rule fires or what it records, without links that differ per environment. */
const semantics = (a: typeof artifacts) => a.services.flatMap((s) => s.rules.groups.map((g) => ({
  name: g.name,
  interval: (g as { interval?: string }).interval,
  rules: g.rules.map((r) => ({ ...r, annotations: undefined })),
})));

test('the local rules are exactly the shipped rules: same groups, expressions, for and labels', () => {
  expect(semantics(artifacts)).toEqual(semantics(generate(specs, defaultStackConfig)));
  expect(semantics(artifacts).every((g) => g.interval === undefined)).toBe(true);
});

test('promtool accepts prometheus.yml with its rule files, and it evaluates every 5 s', () => {
  const out = execFileSync('promtool', ['check', 'config', layout.prometheusConfig], { encoding: 'utf8' });
  expect(out).toMatch(/SUCCESS: 1 rule files found|SUCCESS/);
  const doc = yaml.load(readFileSync(layout.prometheusConfig, 'utf8')) as { global: Record<string, string>; scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };
  expect(doc.global).toMatchObject({ scrape_interval: '5s', evaluation_interval: '5s' });
  for (const job of doc.scrape_configs) for (const t of job.static_configs[0].targets) expect(t).toMatch(/^127\.0\.0\.1:\d+$/);
});

const flatten = (r: AmRoute): AmRoute[] => [r, ...(r.routes ?? []).flatMap(flatten)];

test('Alertmanager routes like the shipped config; only group_interval is shorter, and amtool accepts it', () => {
  const local = yaml.load(readFileSync(layout.alertmanagerConfig, 'utf8')) as AlertmanagerConfig;
  const shipped = artifacts.alertmanager;
  const strip = (c: AlertmanagerConfig) => flatten(c.route).map(({ routes: _r, group_interval: _g, ...rest }) => rest);
  expect(strip(local)).toEqual(strip(shipped));
  expect(local.route.group_interval).toBe(LOCAL_GROUP_INTERVAL);
  expect(local.receivers).toEqual(shipped.receivers);
  expect(local.inhibit_rules).toEqual(shipped.inhibit_rules);
  expect(localAlertmanager(shipped, '1m').route.group_interval).toBe('1m');
  execFileSync('amtool', ['check-config', layout.alertmanagerConfig], { encoding: 'utf8', stdio: 'pipe' });
  const receivers = execFileSync('amtool', ['config', 'routes', 'test', '--config.file', layout.alertmanagerConfig,
    'alertname=ErrorBudgetBurn', 'severity=critical', 'service=digital-twin-mcp', 'slo=availability'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(receivers.trim().split(',').sort()).toEqual(['app-alert-intake', 'email-oncall-at-digitaltwin-example-com', 'pagerduty-digital-twin-mcp', 'slack-alerts-critical']);
});

test('receivers point at the local sinks and the app; secrets live only in 0600 files', () => {
  const text = readFileSync(layout.alertmanagerConfig, 'utf8');
  expect(text).toContain(sinks.pagerdutyUrl);
  expect(text).toContain('smtp_smarthost: 127.0.0.1:2525');
  expect(text).toContain(`http://127.0.0.1:${DEFAULT_PORTS.app}/alerts/webhook`);
  for (const file of readdirSync(layout.secretsDir)) expect(statSync(join(layout.secretsDir, file)).mode & 0o777).toBe(0o600);
  const rendered = [layout.prometheusConfig, layout.alertmanagerConfig, ...readdirSync(join(layout.renderedDir, 'prometheus/rules')).map((f) => join(layout.renderedDir, 'prometheus/rules', f))];
  for (const file of rendered) {
    const content = readFileSync(file, 'utf8');
    for (const secret of Object.values(secrets)) expect(content).not.toContain(secret);
  }
});
