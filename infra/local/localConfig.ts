// What the local stack runs with: the generated artifacts for a loopback StackConfig, the receiver secret files,
// and a prometheus.yml that scrapes the app with short intervals. The rules are exactly those that ship.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import type { AlertmanagerConfig, AmRoute } from '../../slo/alertmanager/config';
import { ALERTMANAGER_PATH, generate, rulesPath, toYaml, type Artifacts } from '../../slo/generate';
import type { Spec } from '../../slo/schema';
import { ALERTMANAGER_SECRET_FILES, type StackConfig } from '../../slo/stack';

export interface LocalPorts {
  app: number;
  prometheus: number;
  alertmanager: number;
  /** PagerDuty and Slack stand-ins share one HTTP port. */
  sinks: number;
  smtp: number;
}

export const DEFAULT_PORTS: LocalPorts = { app: 8080, prometheus: 9090, alertmanager: 9093, sinks: 9097, smtp: 2525 };

/** Scrape and rule evaluation every 5 s instead of 30 s: alerts arrive in minutes, the rules are unchanged. */
export const LOCAL_SCRAPE_INTERVAL = '5s';
/**
 * Alertmanager's group_interval locally. group_wait stays as generated (it is part of the time to page);
 * only the wait between a group's notifications is shortened, so a resolved notification follows in seconds, not 5 min.
 */
export const LOCAL_GROUP_INTERVAL = '30s';

export interface LocalSecrets {
  adminApiKey: string;
  alertWebhookToken: string;
  pagerdutyRoutingKey: string;
  slackToken: string;
}

export function newSecrets(): LocalSecrets {
  const token = () => randomBytes(24).toString('hex');
  return { adminApiKey: token(), alertWebhookToken: token(), pagerdutyRoutingKey: token().slice(0, 32), slackToken: token() };
}

export interface LocalLayout {
  dataDir: string;
  renderedDir: string;
  secretsDir: string;
  logsDir: string;
  prometheusConfig: string;
  alertmanagerConfig: string;
  prometheusData: string;
  alertmanagerData: string;
  pgliteDir: string;
  sinksLog: string;
  lockFile: string;
  stateFile: string;
  adminKeyFile: string;
}

export function layoutOf(dataDir: string): LocalLayout {
  const d = resolve(dataDir);
  return {
    dataDir: d,
    renderedDir: join(d, 'rendered'),
    secretsDir: join(d, 'secrets'),
    logsDir: join(d, 'logs'),
    prometheusConfig: join(d, 'prometheus.yml'),
    alertmanagerConfig: join(d, 'rendered', ALERTMANAGER_PATH),
    prometheusData: join(d, 'prometheus-data'),
    alertmanagerData: join(d, 'alertmanager-data'),
    pgliteDir: join(d, 'pglite'),
    sinksLog: join(d, 'logs', 'sinks.log'),
    lockFile: join(d, 'local.pid'),
    stateFile: join(d, 'local.json'),
    adminKeyFile: join(d, 'secrets', 'admin-api-key'),
  };
}

export interface SinkEndpoints {
  pagerdutyUrl: string;
  slackWebhookUrl: string;
  smtpSmarthost: string;
}

export function localStackConfig(layout: LocalLayout, ports: LocalPorts, sinks: SinkEndpoints): StackConfig {
  return {
    environment: 'local',
    evaluationInterval: LOCAL_SCRAPE_INTERVAL,
    alertmanager: {
      secretsDir: layout.secretsDir,
      pagerdutyUrl: sinks.pagerdutyUrl,
      smtp: { smarthost: sinks.smtpSmarthost, from: 'alertmanager@localhost', requireTls: false },
      webhookUrl: `http://127.0.0.1:${ports.app}/alerts/webhook`,
    },
    links: { grafanaUrl: undefined, runbookBaseUrl: undefined },
  };
}

/** The generated routing with only group_interval shortened (see LOCAL_GROUP_INTERVAL). */
export function localAlertmanager(config: AlertmanagerConfig, groupInterval = LOCAL_GROUP_INTERVAL): AlertmanagerConfig {
  const shorten = (route: AmRoute, root: boolean): AmRoute => ({
    ...route,
    ...(root || route.group_interval ? { group_interval: groupInterval } : {}),
    ...(route.routes ? { routes: route.routes.map((r) => shorten(r, false)) } : {}),
  });
  return { ...config, route: shorten(config.route, true) };
}

export function prometheusYaml(layout: LocalLayout, ports: LocalPorts, services: readonly string[]): string {
  const doc = {
    global: { scrape_interval: LOCAL_SCRAPE_INTERVAL, evaluation_interval: LOCAL_SCRAPE_INTERVAL, scrape_timeout: '4s' },
    rule_files: services.map((s) => join(layout.renderedDir, rulesPath(s))),
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${ports.alertmanager}`] }] }] },
    scrape_configs: [
      {
        // The labels Kubernetes discovery adds in production, so the same queries select the same way.
        job_name: 'digital-twin-mcp',
        static_configs: [{ targets: [`127.0.0.1:${ports.app}`], labels: { namespace: 'local', pod: `${hostname()}-local` } }],
      },
      { job_name: 'prometheus', static_configs: [{ targets: [`127.0.0.1:${ports.prometheus}`] }] },
      { job_name: 'alertmanager', static_configs: [{ targets: [`127.0.0.1:${ports.alertmanager}`] }] },
    ],
  };
  return `# Written by the local runner (infra/local) on every start. Do not edit by hand.\n${yaml.dump(doc, { lineWidth: -1 })}`;
}

function writeSecret(file: string, value: string): void {
  writeFileSync(file, value, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Writes the rendered artifacts, the secret files Alertmanager reads, and prometheus.yml; returns the artifacts. */
export function writeLocalConfig(layout: LocalLayout, specs: readonly Spec[], ports: LocalPorts, sinks: SinkEndpoints, secrets: LocalSecrets): Artifacts {
  // A spec removed since the last start must not leave its rule file behind.
  rmSync(layout.renderedDir, { recursive: true, force: true });
  for (const dir of [layout.renderedDir, layout.secretsDir, layout.logsDir, layout.prometheusData, layout.alertmanagerData]) {
    mkdirSync(dir, { recursive: true });
  }
  chmodSync(layout.secretsDir, 0o700);
  writeSecret(join(layout.secretsDir, ALERTMANAGER_SECRET_FILES.slackWebhookUrl), sinks.slackWebhookUrl);
  writeSecret(join(layout.secretsDir, ALERTMANAGER_SECRET_FILES.pagerdutyRoutingKey), secrets.pagerdutyRoutingKey);
  writeSecret(join(layout.secretsDir, ALERTMANAGER_SECRET_FILES.webhookToken), secrets.alertWebhookToken);
  writeSecret(layout.adminKeyFile, secrets.adminApiKey);

  const artifacts = generate(specs, localStackConfig(layout, ports, sinks));
  for (const f of artifacts.files) {
    const target = join(layout.renderedDir, f.path);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, f.path === ALERTMANAGER_PATH ? toYaml(localAlertmanager(artifacts.alertmanager)) : f.content);
  }
  writeFileSync(layout.prometheusConfig, prometheusYaml(layout, ports, artifacts.services.map((s) => s.service)));
  return artifacts;
}
