// The Pulumi program: validate the stack config, load the SLO specs, generate, then register every component.
import path from 'node:path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { generate, type RenderedFile } from '../slo/generate';
import { formatDuration, parseDuration } from '../slo/duration';
import { loadSpecFile, SpecError } from '../slo/load';
import type { Spec } from '../slo/schema';
import { ALERTMANAGER_SECRET_FILES } from '../slo/stack';
import {
  PROJECT,
  missingSecrets,
  requiredSecrets,
  validateStackConfig,
  type RawConfigEntry,
  type SecretKey,
  type StackSettings,
} from './config';
import { Alertmanager } from './components/alertmanager';
import { AwsArchive } from './components/awsArchive';
import { ELASTICSEARCH_NAME, CREDENTIALS_PASSWORD_KEY, Elasticsearch, LOG_INDEX_PATTERN } from './components/elasticsearch';
import { Grafana } from './components/grafana';
import { Jaeger } from './components/jaeger';
import { APP_NAME, McpServer, type AppSecrets } from './components/mcpServer';
import { Prometheus } from './components/prometheus';
import { labelsFor } from './components/workload';
import { ALERTMANAGER_SECRETS_DIR, sloStackConfig } from './sloStack';

const REPO_ROOT = path.resolve(__dirname, '..');

// `isConfigSecret` is exported by the SDK's runtime but marked internal in its typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeConfig = require('@pulumi/pulumi/runtime/config') as { isConfigSecret(key: string): boolean };

/** The project's config entries (without the `project:` prefix), with whether each was set as a secret. */
export function readRawConfig(): Record<string, RawConfigEntry> {
  const prefix = `${PROJECT}:`;
  const entries: Record<string, RawConfigEntry> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!key.startsWith(prefix)) continue; // provider namespaces (kubernetes:, aws:) belong to their providers
    entries[key.slice(prefix.length)] = { value, secret: runtimeConfig.isConfigSecret(key) };
  }
  return entries;
}

function receiverKinds(specs: readonly Spec[]): Set<string> {
  const kinds = new Set<string>();
  for (const spec of specs) for (const route of spec.routing) for (const r of route.receivers) for (const k of Object.keys(r)) kinds.add(k);
  return kinds;
}

/** Margin over the longest SLO window: the window's oldest hourly tile must still be on disk. */
const RETENTION_MARGIN_SECONDS = 86400;

/** Prometheus must keep every SLO's whole window, or the SLI silently covers less than it says. */
function retentionProblems(retention: string, specs: readonly Spec[]): string[] {
  const kept = parseDuration(retention);
  const longest = specs.flatMap((spec) => spec.slos.map((slo) => ({ name: `${spec.service}/${slo.name}`, window: slo.window })))
    .sort((a, b) => parseDuration(b.window) - parseDuration(a.window))[0];
  if (!longest || kept >= parseDuration(longest.window) + RETENTION_MARGIN_SECONDS) return [];
  const needed = formatDuration(parseDuration(longest.window) + RETENTION_MARGIN_SECONDS);
  return [`${PROJECT}:retention.metrics: ${retention} is shorter than the ${longest.window} window of SLO ${longest.name} plus 1d; set it to at least ${needed}`];
}

export interface PlannedStack {
  settings: StackSettings;
  specs: Spec[];
  secretKeys: SecretKey[];
}

/** Everything that can be wrong before a resource exists: config, specs, secrets. Throws one RunError listing all. */
export function planStack(): PlannedStack {
  const validation = validateStackConfig(readRawConfig(), pulumi.getStack());
  if (!validation.ok) throw new pulumi.RunError(`invalid stack configuration:\n  ${validation.problems.join('\n  ')}`);
  const { settings } = validation;
  let specs: Spec[];
  try {
    specs = settings.specFiles.map((file) => loadSpecFile(path.resolve(REPO_ROOT, file)));
  } catch (err) {
    if (err instanceof SpecError) throw new pulumi.RunError(`invalid SLO spec:\n  ${err.message.split('\n').join('\n  ')}`);
    throw err;
  }
  const kinds = receiverKinds(specs);
  const problems = missingSecrets(validation.secretKeys, requiredSecrets(settings, kinds));
  if (kinds.has('email') && !settings.smtp) problems.push(`${PROJECT}:smtp: is required: the SLO specs route alerts to e-mail`);
  problems.push(...retentionProblems(settings.retention.metrics, specs));
  if (problems.length > 0) throw new pulumi.RunError(`invalid stack configuration:\n  ${problems.join('\n  ')}`);
  return { settings, specs, secretKeys: validation.secretKeys };
}

function filesUnder(files: RenderedFile[], folder: string): RenderedFile[] {
  return files.filter((f) => f.path.startsWith(folder));
}

export interface StackOutputs {
  namespace: pulumi.Output<string>;
  appUrl: pulumi.Output<string>;
  prometheusUrl: pulumi.Output<string>;
  grafanaMode: string;
  otlpEndpoint: string;
  archiveBucket?: pulumi.Output<string>;
  archiveRoleArn?: pulumi.Output<string>;
}

export function deployStack(): StackOutputs {
  const { settings: s, specs, secretKeys } = planStack();
  const config = new pulumi.Config(PROJECT);
  const has = new Set(secretKeys);
  const secret = (key: SecretKey): pulumi.Output<string> => config.requireSecret(key);
  const optionalSecret = (key: SecretKey): pulumi.Output<string> | undefined => (has.has(key) ? config.requireSecret(key) : undefined);

  const artifacts = generate(specs, sloStackConfig(s));
  const ns = s.namespace;

  const namespace = new k8s.core.v1.Namespace('namespace', {
    metadata: {
      name: ns,
      labels: {
        ...labelsFor(ns, 'namespace'),
        // Warn, not enforce: Elasticsearch's privileged init container (vm.max_map_count) is the one exception.
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
      },
    },
  });
  // Every namespaced object goes through this provider, so none is created before the namespace exists.
  const cluster = new k8s.Provider('cluster', { namespace: ns }, { dependsOn: [namespace] });
  const opts: pulumi.ComponentResourceOptions = { providers: { kubernetes: cluster } };

  const archive =
    s.aws.enabled && s.aws.oidcProviderArn
      ? new AwsArchive('archive', {
          oidcProviderArn: s.aws.oidcProviderArn,
          namespace: ns,
          serviceAccount: ELASTICSEARCH_NAME,
          snapshotRetentionDays: s.aws.snapshotRetentionDays,
          logArchiveGlacierAfterDays: s.aws.logArchiveGlacierAfterDays,
          logArchiveRetentionDays: s.aws.logArchiveRetentionDays,
          tags: { project: PROJECT, environment: s.environment },
        })
      : undefined;

  const elasticsearch = new Elasticsearch(
    'elasticsearch',
    {
      namespace: ns,
      mode: s.elasticsearch.mode,
      externalUrl: s.elasticsearch.url,
      username: s.elasticsearch.username,
      password: secret('elasticsearchPassword'),
      image: s.images.elasticsearch,
      initImage: s.images.busybox,
      curlImage: s.images.curl,
      resources: s.resources.elasticsearch,
      storageSize: s.storage.elasticsearch,
      storageClassName: s.storage.className,
      logRetentionDays: Number.parseInt(s.retention.logs, 10),
      archive: archive ? { bucket: archive.bucketName, roleArn: archive.roleArn, snapshotRetentionDays: s.aws.snapshotRetentionDays } : undefined,
    },
    opts,
  );

  const jaeger = new Jaeger(
    'jaeger',
    {
      namespace: ns,
      image: s.images.jaeger,
      indexCleanerImage: s.images.esIndexCleaner,
      replicas: s.jaeger.replicas,
      resources: s.resources.jaeger,
      elasticsearchUrl: elasticsearch.url,
      elasticsearchUsername: s.elasticsearch.username,
      credentialsSecretName: elasticsearch.credentialsSecretName,
      passwordKey: CREDENTIALS_PASSWORD_KEY,
      spanRetentionDays: Number.parseInt(s.retention.spans, 10),
    },
    opts,
  );

  const receiverSecrets: Record<string, pulumi.Output<string>> = {
    [ALERTMANAGER_SECRET_FILES.webhookToken]: secret('alertWebhookToken'),
  };
  const slack = optionalSecret('slackWebhookUrl');
  if (slack) receiverSecrets[ALERTMANAGER_SECRET_FILES.slackWebhookUrl] = slack;
  const pagerduty = optionalSecret('pagerdutyRoutingKey');
  if (pagerduty) receiverSecrets[ALERTMANAGER_SECRET_FILES.pagerdutyRoutingKey] = pagerduty;
  const smtp = optionalSecret('smtpPassword');
  if (smtp) receiverSecrets[ALERTMANAGER_SECRET_FILES.smtpPassword] = smtp;

  const alertmanagerFile = artifacts.files.find((f) => f.path === 'alertmanager/alertmanager.yml');
  if (!alertmanagerFile) throw new pulumi.RunError('generate() rendered no alertmanager/alertmanager.yml');
  const alertmanager = new Alertmanager(
    'alertmanager',
    {
      namespace: ns,
      image: s.images.alertmanager,
      resources: s.resources.alertmanager,
      storageSize: s.storage.alertmanager,
      storageClassName: s.storage.className,
      configYaml: alertmanagerFile.content,
      secretsDir: ALERTMANAGER_SECRETS_DIR,
      secretFiles: receiverSecrets,
    },
    opts,
  );

  const prometheus = new Prometheus(
    'prometheus',
    {
      namespace: ns,
      image: s.images.prometheus,
      resources: s.resources.prometheus,
      storageSize: s.storage.prometheus,
      storageClassName: s.storage.className,
      retention: s.retention.metrics,
      evaluationInterval: s.evaluationInterval,
      environment: s.environment,
      ruleFiles: filesUnder(artifacts.files, 'prometheus/rules/'),
      appName: APP_NAME,
      alertmanagerTarget: alertmanager.target,
    },
    opts,
  );

  const appSecrets: AppSecrets = {
    GROQ_API_KEY: secret('groqApiKey'),
    DATABASE_URL: secret('databaseUrl'),
    ELASTICSEARCH_PASSWORD: secret('elasticsearchPassword'),
    ALERT_WEBHOOK_TOKEN: secret('alertWebhookToken'),
    ADMIN_API_KEY: secret('adminApiKey'),
    SENTRY_DSN: optionalSecret('sentryDsn'),
    REDIS_URL: optionalSecret('redisUrl'),
    UPSTASH_VECTOR_REST_TOKEN: optionalSecret('upstashVectorRestToken'),
  };
  const app = new McpServer(
    'mcp-server',
    {
      namespace: ns,
      image: s.image,
      replicas: s.replicas,
      maxReplicas: s.maxReplicas,
      targetCpuUtilization: s.targetCpuUtilization,
      resources: s.resources.app,
      environment: s.environment,
      logLevel: s.logLevel,
      groqModel: s.groqModel,
      vectorBackend: s.vectorBackend,
      upstashVectorRestUrl: s.upstashVectorRestUrl,
      elasticsearchUrl: elasticsearch.url,
      elasticsearchUsername: s.elasticsearch.username,
      otlpEndpoint: jaeger.otlpHttpEndpoint,
      secrets: appSecrets,
      domain: s.domains.app,
      ingressClassName: s.domains.ingressClassName,
    },
    opts,
  );

  const dashboardFiles = filesUnder(artifacts.files, 'grafana/dashboards/');
  const datasources = {
    prometheusUrl: prometheus.url,
    jaegerQueryUrl: jaeger.queryUrl,
    elasticsearchUrl: elasticsearch.url,
    elasticsearchUsername: s.elasticsearch.username,
    logIndexPattern: LOG_INDEX_PATTERN,
  };
  const grafana =
    s.grafana.mode === 'api'
      ? new Grafana(
          'grafana',
          {
            mode: 'api',
            namespace: ns,
            apiUrl: s.grafana.apiUrl as string,
            auth: secret('grafanaAuth'),
            elasticsearchPassword: secret('elasticsearchPassword'),
            dashboardFiles,
            datasources,
          },
          opts,
        )
      : new Grafana(
          'grafana',
          {
            mode: 'provisioning',
            namespace: ns,
            image: s.images.grafana,
            resources: s.resources.grafana,
            adminPassword: secret('grafanaAdminPassword'),
            elasticsearchCredentialsSecret: elasticsearch.credentialsSecretName,
            elasticsearchPasswordKey: CREDENTIALS_PASSWORD_KEY,
            dashboardFiles,
            datasources,
            domain: s.domains.grafana,
            ingressClassName: s.domains.ingressClassName,
          },
          opts,
        );

  return {
    namespace: namespace.metadata.name,
    appUrl: app.url,
    prometheusUrl: prometheus.url,
    grafanaMode: grafana.mode,
    otlpEndpoint: jaeger.otlpHttpEndpoint,
    ...(archive ? { archiveBucket: archive.bucketName, archiveRoleArn: archive.roleArn } : {}),
  };
}
