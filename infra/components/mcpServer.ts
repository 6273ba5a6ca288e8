// The Digital Twin MCP server: Secret, Deployment, Service, HPA, PDB and (with a domain) an Ingress.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ComputeResources } from '../config';
import { tlsIngress } from './ingress';
import { checksum, hardened, labelsFor, podSecurity, resourcesOf, selectorFor } from './workload';

import { APP_NAME, APP_PORT } from '../topology';

export { APP_NAME, APP_PORT };
export const METRICS_PATH = '/metrics';

/** Environment variable name -> secret value; each becomes a key of the app's Kubernetes Secret. */
export type AppSecrets = Partial<
  Record<
    | 'GROQ_API_KEY'
    | 'SENTRY_DSN'
    | 'DATABASE_URL'
    | 'REDIS_URL'
    | 'ELASTICSEARCH_PASSWORD'
    | 'ALERT_WEBHOOK_TOKEN'
    | 'ADMIN_API_KEY'
    | 'UPSTASH_VECTOR_REST_TOKEN',
    pulumi.Output<string>
  >
>;

export interface McpServerArgs {
  namespace: pulumi.Input<string>;
  image: string;
  replicas: number;
  maxReplicas: number;
  targetCpuUtilization: number;
  resources: ComputeResources;
  environment: 'staging' | 'production';
  logLevel: string;
  groqModel: string;
  vectorBackend: string;
  upstashVectorRestUrl?: string;
  elasticsearchUrl: string;
  elasticsearchUsername: string;
  otlpEndpoint: string;
  secrets: AppSecrets;
  domain?: string;
  ingressClassName: string;
}

/** The version label the app reports: the image tag, or the digest when pinned by digest. */
export function appVersionOf(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1);
  return image.slice(image.lastIndexOf(':') + 1);
}

export class McpServer extends pulumi.ComponentResource {
  readonly serviceName: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;
  readonly deployment: k8s.apps.v1.Deployment;

  constructor(name: string, args: McpServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('digital-twin-observability:index:McpServer', name, {}, opts);
    const labels = labelsFor(APP_NAME, 'mcp-server');
    const selector = selectorFor(APP_NAME);
    const ns = args.namespace;

    const secretNames = Object.keys(args.secrets).filter((k) => args.secrets[k as keyof AppSecrets] !== undefined).sort();
    const stringData = pulumi.secret(
      pulumi
        .all(Object.fromEntries(secretNames.map((k) => [k, args.secrets[k as keyof AppSecrets] as pulumi.Output<string>])))
        .apply((values) => values as Record<string, string>),
    );
    const secret = new k8s.core.v1.Secret(
      `${name}-secrets`,
      { metadata: { name: `${APP_NAME}-secrets`, namespace: ns, labels }, type: 'Opaque', stringData },
      { parent: this },
    );

    const plainEnv: Record<string, string> = {
      PORT: String(APP_PORT),
      NODE_ENV: 'production',
      APP_ENVIRONMENT: args.environment,
      APP_VERSION: appVersionOf(args.image),
      LOG_LEVEL: args.logLevel,
      GROQ_MODEL: args.groqModel,
      ELASTICSEARCH_URL: args.elasticsearchUrl,
      ELASTICSEARCH_USERNAME: args.elasticsearchUsername,
      OTEL_EXPORTER_OTLP_ENDPOINT: args.otlpEndpoint,
      OTEL_SERVICE_NAME: APP_NAME,
      VECTOR_BACKEND: args.vectorBackend,
      ...(args.upstashVectorRestUrl ? { UPSTASH_VECTOR_REST_URL: args.upstashVectorRestUrl } : {}),
    };
    const env: k8s.types.input.core.v1.EnvVar[] = [
      ...Object.entries(plainEnv).map(([envName, value]) => ({ name: envName, value })),
      ...secretNames.map((key) => ({
        name: key,
        valueFrom: { secretKeyRef: { name: secret.metadata.name, key } },
      })),
    ];

    this.deployment = new k8s.apps.v1.Deployment(
      name,
      {
        metadata: { name: APP_NAME, namespace: ns, labels },
        spec: {
          replicas: args.replicas,
          revisionHistoryLimit: 5,
          selector: { matchLabels: selector },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: {
            metadata: {
              labels,
              annotations: {
                'prometheus.io/scrape': 'true',
                'prometheus.io/port': String(APP_PORT),
                'prometheus.io/path': METRICS_PATH,
                // Secret *names* only: a new key set rolls the pods; values never enter the hash.
                'digital-twin-observability/secret-keys': checksum(...secretNames),
              },
            },
            spec: {
              securityContext: podSecurity(10001),
              automountServiceAccountToken: false,
              terminationGracePeriodSeconds: 30,
              containers: [
                hardened({
                  name: 'server',
                  image: args.image,
                  imagePullPolicy: 'IfNotPresent',
                  ports: [{ name: 'http', containerPort: APP_PORT }],
                  env,
                  resources: resourcesOf(args.resources),
                  startupProbe: {
                    httpGet: { path: '/health/liveness', port: 'http' },
                    periodSeconds: 5,
                    failureThreshold: 24,
                  },
                  livenessProbe: {
                    httpGet: { path: '/health/liveness', port: 'http' },
                    periodSeconds: 10,
                    timeoutSeconds: 3,
                    failureThreshold: 3,
                  },
                  readinessProbe: {
                    httpGet: { path: '/health/readiness', port: 'http' },
                    periodSeconds: 5,
                    timeoutSeconds: 3,
                    failureThreshold: 2,
                  },
                  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                }),
              ],
              volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }],
            },
          },
        },
      },
      { parent: this },
    );

    const service = new k8s.core.v1.Service(
      name,
      {
        metadata: { name: APP_NAME, namespace: ns, labels },
        spec: { selector, ports: [{ name: 'http', port: APP_PORT, targetPort: 'http' }] },
      },
      { parent: this },
    );

    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      name,
      {
        metadata: { name: APP_NAME, namespace: ns, labels },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.deployment.metadata.name },
          minReplicas: args.replicas,
          maxReplicas: args.maxReplicas,
          metrics: [
            { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: args.targetCpuUtilization } } },
          ],
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        },
      },
      { parent: this },
    );

    // One pod at a time may be evicted: with a single staging replica drains still succeed.
    new k8s.policy.v1.PodDisruptionBudget(
      name,
      { metadata: { name: APP_NAME, namespace: ns, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } },
      { parent: this },
    );

    if (args.domain) {
      tlsIngress(name, { service: APP_NAME, namespace: ns, labels, host: args.domain, ingressClassName: args.ingressClassName }, this);
    }

    this.serviceName = service.metadata.name;
    this.url = pulumi.interpolate`http://${service.metadata.name}.${ns}.svc.cluster.local:${APP_PORT}`;
    this.registerOutputs({ serviceName: this.serviceName, url: this.url });
  }
}
