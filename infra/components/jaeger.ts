// Jaeger v2: OTLP on 4317/4318 bound to all interfaces, spans stored in Elasticsearch, old span indices removed daily.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import yaml from 'js-yaml';
import type { ComputeResources } from '../config';
import { checksum, hardened, labelsFor, podSecurity, resourcesOf, selectorFor } from './workload';

export const JAEGER_NAME = 'jaeger';
export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;
export const QUERY_PORT = 16686;
const HEALTH_PORT = 13133;
const INDEX_PREFIX = 'jaeger-main';
// Separate from the config mount: a mount point nested inside a read-only ConfigMap volume cannot be created.
const PASSWORD_FILE = '/etc/jaeger-elasticsearch/password';

export interface JaegerArgs {
  namespace: string;
  image: string;
  indexCleanerImage: string;
  replicas: number;
  resources: ComputeResources;
  elasticsearchUrl: string;
  elasticsearchUsername: string;
  /** Secret holding the Elasticsearch password under `passwordKey`; mounted as a file Jaeger watches. */
  credentialsSecretName: pulumi.Input<string>;
  passwordKey: string;
  spanRetentionDays: number;
}

/** Jaeger v2 (OpenTelemetry Collector based) configuration; holds no secret, only the password file's path. */
export function jaegerConfig(args: Pick<JaegerArgs, 'elasticsearchUrl' | 'elasticsearchUsername'>): string {
  const indexOptions = { date_layout: '2006-01-02', rollover_frequency: 'day', shards: 1, replicas: 0 };
  const doc = {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] } },
      telemetry: { resource: { 'service.name': 'jaeger' }, metrics: { level: 'basic', address: '0.0.0.0:8888' }, logs: { level: 'info' } },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: `0.0.0.0:${HEALTH_PORT}` } },
      jaeger_query: { storage: { traces: 'elasticsearch' }, http: { endpoint: `0.0.0.0:${QUERY_PORT}` } },
      jaeger_storage: {
        backends: {
          elasticsearch: {
            elasticsearch: {
              server_urls: [args.elasticsearchUrl],
              auth: { basic: { username: args.elasticsearchUsername, password_file: PASSWORD_FILE } },
              indices: {
                index_prefix: INDEX_PREFIX,
                spans: indexOptions,
                services: indexOptions,
                dependencies: indexOptions,
                sampling: indexOptions,
              },
            },
          },
        },
      },
    },
    receivers: {
      otlp: {
        protocols: {
          // Bound to all interfaces: the collector's default of localhost would refuse every other pod.
          grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` },
          http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` },
        },
      },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'elasticsearch' } },
  };
  return yaml.dump(doc, { lineWidth: -1, noRefs: true });
}

export class Jaeger extends pulumi.ComponentResource {
  /** OTLP/HTTP endpoint for the app's OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly otlpHttpEndpoint: string;
  readonly queryUrl: string;

  constructor(name: string, args: JaegerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('digital-twin-observability:index:Jaeger', name, {}, opts);
    const labels = labelsFor(JAEGER_NAME, 'tracing');
    const selector = selectorFor(JAEGER_NAME);
    const ns = args.namespace;
    const host = `${JAEGER_NAME}.${ns}.svc.cluster.local`;

    const configText = jaegerConfig(args);
    const config = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      { metadata: { name: `${JAEGER_NAME}-config`, namespace: ns, labels }, data: { 'config.yaml': configText } },
      { parent: this },
    );
    new k8s.apps.v1.Deployment(
      name,
      {
        metadata: { name: JAEGER_NAME, namespace: ns, labels },
        spec: {
          replicas: args.replicas,
          selector: { matchLabels: selector },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: {
            metadata: { labels, annotations: { 'digital-twin-observability/config-checksum': checksum(configText) } },
            spec: {
              securityContext: podSecurity(10001),
              automountServiceAccountToken: false,
              containers: [
                hardened({
                  name: 'jaeger',
                  image: args.image,
                  args: ['--config=/etc/jaeger/config/config.yaml'],
                  ports: [
                    { name: 'otlp-grpc', containerPort: OTLP_GRPC_PORT },
                    { name: 'otlp-http', containerPort: OTLP_HTTP_PORT },
                    { name: 'query', containerPort: QUERY_PORT },
                    { name: 'health', containerPort: HEALTH_PORT },
                    { name: 'metrics', containerPort: 8888 },
                  ],
                  resources: resourcesOf(args.resources),
                  livenessProbe: { httpGet: { path: '/status', port: 'health' }, periodSeconds: 15 },
                  readinessProbe: { httpGet: { path: '/status', port: 'health' }, periodSeconds: 5 },
                  volumeMounts: [
                    { name: 'config', mountPath: '/etc/jaeger/config', readOnly: true },
                    { name: 'elasticsearch', mountPath: '/etc/jaeger-elasticsearch', readOnly: true },
                    { name: 'tmp', mountPath: '/tmp' },
                  ],
                }),
              ],
              volumes: [
                { name: 'config', configMap: { name: config.metadata.name } },
                {
                  name: 'elasticsearch',
                  secret: { secretName: args.credentialsSecretName, items: [{ key: args.passwordKey, path: 'password' }], defaultMode: 0o440 },
                },
                { name: 'tmp', emptyDir: {} },
              ],
            },
          },
        },
      },
      { parent: this },
    );
    new k8s.core.v1.Service(
      name,
      {
        metadata: { name: JAEGER_NAME, namespace: ns, labels },
        spec: {
          selector,
          ports: [
            { name: 'otlp-grpc', port: OTLP_GRPC_PORT, targetPort: 'otlp-grpc', appProtocol: 'grpc' },
            { name: 'otlp-http', port: OTLP_HTTP_PORT, targetPort: 'otlp-http' },
            { name: 'query', port: QUERY_PORT, targetPort: 'query' },
          ],
        },
      },
      { parent: this },
    );

    // Span retention: Jaeger writes one index per day; its index cleaner deletes those older than the retention.
    new k8s.batch.v1.CronJob(
      `${name}-index-cleaner`,
      {
        metadata: { name: `${JAEGER_NAME}-index-cleaner`, namespace: ns, labels },
        spec: {
          schedule: '55 23 * * *',
          concurrencyPolicy: 'Forbid',
          successfulJobsHistoryLimit: 1,
          failedJobsHistoryLimit: 3,
          jobTemplate: {
            spec: {
              backoffLimit: 2,
              activeDeadlineSeconds: 600,
              template: {
                metadata: { labels: labelsFor(`${JAEGER_NAME}-index-cleaner`, 'tracing') },
                spec: {
                  restartPolicy: 'OnFailure',
                  automountServiceAccountToken: false,
                  securityContext: podSecurity(10001),
                  containers: [
                    hardened({
                      name: 'index-cleaner',
                      image: args.indexCleanerImage,
                      args: [String(args.spanRetentionDays), args.elasticsearchUrl],
                      env: [
                        { name: 'ES_INDEX_PREFIX', value: INDEX_PREFIX },
                        { name: 'ES_USERNAME', value: args.elasticsearchUsername },
                        { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: args.credentialsSecretName, key: args.passwordKey } } },
                      ],
                      resources: resourcesOf({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } }),
                    }),
                  ],
                },
              },
            },
          },
        },
      },
      { parent: this },
    );

    this.otlpHttpEndpoint = `http://${host}:${OTLP_HTTP_PORT}`;
    this.queryUrl = `http://${host}:${QUERY_PORT}`;
    this.registerOutputs({ otlpHttpEndpoint: this.otlpHttpEndpoint, queryUrl: this.queryUrl });
  }
}
