// The stack configuration's one definition (zod): checked whole before any resource exists, one message per bad key.
import { z } from 'zod';
import { isQuantity, parseQuantity } from './quantity';

export const PROJECT = 'digital-twin-observability';

const durationPattern = /^(\d+(ms|s|m|h|d|w|y))+$/;
const duration = z.string().regex(durationPattern, 'must be a duration such as 30s, 15d');
const days = z.string().regex(/^[1-9]\d*d$/, 'must be a whole number of days such as 7d');
const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS label: lower-case letters, digits and dashes');
const hostname = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a host name such as grafana.example.com');
const quantity = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : v),
  z.string().refine(isQuantity, 'must be a Kubernetes quantity such as 250m, 512Mi, 10Gi'),
);
const image = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required: the container image to deploy' : 'must be a string') })
  .regex(
    /^[a-z0-9][a-z0-9._\-/:]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/,
    'must be an image reference with a tag or digest, such as ghcr.io/acme/digital-twin-mcp:1.4.2',
  )
  .refine((ref) => !ref.endsWith(':latest'), 'must pin a version: `latest` makes deployments unrepeatable');

const computeResources = z
  .strictObject({
    requests: z.strictObject({ cpu: quantity, memory: quantity }),
    limits: z.strictObject({ cpu: quantity, memory: quantity }),
  })
  .superRefine((r, ctx) => {
    for (const kind of ['cpu', 'memory'] as const) {
      if (parseQuantity(r.requests[kind]) > parseQuantity(r.limits[kind])) {
        ctx.addIssue({
          code: 'custom',
          path: ['requests', kind],
          message: `must not exceed limits.${kind} (${r.limits[kind]})`,
          input: r.requests[kind],
        });
      }
    }
  });
export type ComputeResources = z.output<typeof computeResources>;

const res = (cpu: [string, string], memory: [string, string]): ComputeResources => ({
  requests: { cpu: cpu[0], memory: memory[0] },
  limits: { cpu: cpu[1], memory: memory[1] },
});

const pinnedImages = {
  prometheus: 'quay.io/prometheus/prometheus:v2.55.1',
  alertmanager: 'quay.io/prometheus/alertmanager:v0.27.0',
  grafana: 'docker.io/grafana/grafana:11.3.1',
  jaeger: 'docker.io/jaegertracing/jaeger:2.8.0',
  elasticsearch: 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3',
  esIndexCleaner: 'docker.io/jaegertracing/jaeger-es-index-cleaner:1.64.0',
  curl: 'docker.io/curlimages/curl:8.11.0',
  busybox: 'docker.io/library/busybox:1.37.0',
};

export const settingsSchema = z
  .strictObject({
    environment: z.enum(['staging', 'production'], { error: 'must be staging or production' }),
    namespace: dnsLabel.default('digital-twin'),
    image,
    replicas: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be >= 1'),
    maxReplicas: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be >= 1'),
    targetCpuUtilization: z.number().int().min(10, 'must be >= 10').max(100, 'must be <= 100').default(70),
    logLevel: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
    groqModel: z.string().min(1).default('llama-3.3-70b-versatile'),
    vectorBackend: z.enum(['memory', 'upstash']).default('memory'),
    upstashVectorRestUrl: z.url().optional(),
    evaluationInterval: duration.default('30s'),
    resources: z
      .strictObject({
        app: computeResources.default(res(['100m', '500m'], ['256Mi', '512Mi'])),
        prometheus: computeResources.default(res(['200m', '1'], ['512Mi', '1Gi'])),
        alertmanager: computeResources.default(res(['50m', '200m'], ['64Mi', '128Mi'])),
        grafana: computeResources.default(res(['100m', '500m'], ['128Mi', '256Mi'])),
        jaeger: computeResources.default(res(['100m', '500m'], ['256Mi', '512Mi'])),
        elasticsearch: computeResources.default(res(['500m', '1'], ['2Gi', '2Gi'])),
      })
      .prefault({}),
    storage: z
      .strictObject({
        prometheus: quantity.default('10Gi'),
        alertmanager: quantity.default('1Gi'),
        elasticsearch: quantity.default('20Gi'),
        className: z.string().min(1).optional(),
      })
      .prefault({}),
    retention: z
      .strictObject({
        metrics: duration.default('31d'),
        logs: days.default('14d'),
        spans: days.default('7d'),
      })
      .prefault({}),
    domains: z
      .strictObject({ app: hostname.optional(), grafana: hostname.optional(), ingressClassName: z.string().default('nginx') })
      .prefault({}),
    links: z.strictObject({ runbookBaseUrl: z.url().optional() }).prefault({}),
    grafana: z
      .strictObject({
        mode: z.enum(['provisioning', 'api']).default('provisioning'),
        apiUrl: z.url().optional(),
      })
      .prefault({}),
    jaeger: z.strictObject({ replicas: z.number().int().min(1, 'must be >= 1').default(1) }).prefault({}),
    elasticsearch: z
      .strictObject({
        mode: z.enum(['in-cluster', 'external']).default('in-cluster'),
        url: z.url().optional(),
        username: z.string().min(1).default('elastic'),
      })
      .prefault({}),
    smtp: z
      .strictObject({
        smarthost: z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port'),
        from: z.email('must be an e-mail address'),
        username: z.string().optional(),
        requireTls: z.boolean().default(true),
      })
      .optional(),
    aws: z
      .strictObject({
        enabled: z.boolean().default(false),
        oidcProviderArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/.+$/, 'must be an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/<issuer>)')
          .optional(),
        snapshotRetentionDays: z.number().int().min(1).default(30),
        logArchiveGlacierAfterDays: z.number().int().min(1).default(30),
        logArchiveRetentionDays: z.number().int().min(1).default(365),
      })
      .prefault({}),
    specFiles: z.array(z.string().min(1)).min(1).default(['slo/digital-twin-mcp.yaml']),
    images: z
      .strictObject(Object.fromEntries(Object.entries(pinnedImages).map(([k, v]) => [k, z.string().min(1).default(v)])) as {
        [K in keyof typeof pinnedImages]: z.ZodDefault<z.ZodString>;
      })
      .prefault({}),
  })
  .superRefine((s, ctx) => {
    if (s.maxReplicas < s.replicas) {
      ctx.addIssue({ code: 'custom', path: ['maxReplicas'], message: `must be >= replicas (${s.replicas})`, input: s.maxReplicas });
    }
    if (s.grafana.mode === 'api' && !s.grafana.apiUrl) {
      ctx.addIssue({ code: 'custom', path: ['grafana', 'apiUrl'], message: 'is required when grafana.mode is api' });
    }
    if (s.elasticsearch.mode === 'external' && !s.elasticsearch.url) {
      ctx.addIssue({ code: 'custom', path: ['elasticsearch', 'url'], message: 'is required when elasticsearch.mode is external' });
    }
    if (s.aws.enabled && s.environment !== 'production') {
      ctx.addIssue({ code: 'custom', path: ['aws', 'enabled'], message: 'AWS archiving is for production only', input: true });
    }
    if (s.aws.enabled && !s.aws.oidcProviderArn) {
      ctx.addIssue({ code: 'custom', path: ['aws', 'oidcProviderArn'], message: 'is required when aws.enabled is true (IRSA)' });
    }
    if (s.aws.enabled && s.elasticsearch.mode !== 'in-cluster') {
      ctx.addIssue({ code: 'custom', path: ['aws', 'enabled'], message: 'snapshots to S3 need elasticsearch.mode in-cluster', input: true });
    }
  });

export type StackSettings = z.output<typeof settingsSchema>;

/** Secret keys: read only through `requireSecret`/`getSecret`, and only ever land in Kubernetes Secrets. */
export const SECRET_KEYS = [
  'groqApiKey',
  'sentryDsn',
  'slackWebhookUrl',
  'pagerdutyRoutingKey',
  'smtpPassword',
  'elasticsearchPassword',
  'alertWebhookToken',
  'adminApiKey',
  'databaseUrl',
  'redisUrl',
  'upstashVectorRestToken',
  'grafanaAdminPassword',
  'grafanaAuth',
] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

const SECRET_KEY_SET: ReadonlySet<string> = new Set(SECRET_KEYS);

/** Which secrets a stack needs, given its settings and the receiver kinds its specs route to. */
export function requiredSecrets(s: StackSettings, receiverKinds: ReadonlySet<string>): SecretKey[] {
  const keys: SecretKey[] = ['groqApiKey', 'elasticsearchPassword', 'alertWebhookToken', 'adminApiKey', 'databaseUrl'];
  if (receiverKinds.has('slack')) keys.push('slackWebhookUrl');
  if (receiverKinds.has('pagerduty')) keys.push('pagerdutyRoutingKey');
  if (receiverKinds.has('email') && s.smtp?.username) keys.push('smtpPassword');
  if (s.grafana.mode === 'api') keys.push('grafanaAuth');
  else keys.push('grafanaAdminPassword');
  if (s.vectorBackend === 'upstash') keys.push('upstashVectorRestToken');
  return keys;
}

export interface RawConfigEntry {
  /** The value as Pulumi hands it over: a string, JSON for structured values. */
  value: string;
  secret: boolean;
}

export type ValidationResult =
  | { ok: true; settings: StackSettings; secretKeys: SecretKey[] }
  | { ok: false; problems: string[] };

/** Structured values arrive as JSON text; plain strings stay strings. */
function decode(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function describeInput(input: unknown): string {
  if (input === undefined) return '';
  const text = typeof input === 'string' ? JSON.stringify(input) : JSON.stringify(input) ?? String(input);
  return ` (got ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

/**
 * Validates the project's config keys (without the `project:` prefix). Pure: tests and `slo` can call it on
 * a Pulumi.<stack>.yaml. Secret values are never echoed: for secret keys only their presence is checked.
 */
export function validateStackConfig(raw: Readonly<Record<string, RawConfigEntry>>, stack?: string): ValidationResult {
  const problems: string[] = [];
  const settingsInput: Record<string, unknown> = {};
  const secretKeys: SecretKey[] = [];
  for (const [key, entry] of Object.entries(raw)) {
    if (SECRET_KEY_SET.has(key)) {
      if (!entry.secret) {
        problems.push(`${PROJECT}:${key}: must be set as a secret (pulumi config set --secret ${key}); rotate the value, it was stored in clear`);
      } else {
        secretKeys.push(key as SecretKey);
      }
    } else {
      settingsInput[key] = decode(entry.value);
    }
  }
  const parsed = settingsSchema.safeParse(settingsInput, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const path = [...issue.path, key].join('.');
          problems.push(`${PROJECT}:${path}: unknown key`);
        }
        continue;
      }
      const path = issue.path.join('.');
      const input = issue.code === 'invalid_type' && issue.input === undefined ? '' : describeInput(issue.input);
      problems.push(`${PROJECT}:${path}: ${issue.message}${input}`);
    }
  }
  if (parsed.success && stack && (stack === 'staging' || stack === 'production') && parsed.data.environment !== stack) {
    problems.push(`${PROJECT}:environment: must match the stack name ${stack} (got "${parsed.data.environment}")`);
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, settings: parsed.data, secretKeys };
}

/** Secrets the stack needs but does not set, as messages in the same format. */
export function missingSecrets(present: readonly SecretKey[], required: readonly SecretKey[]): string[] {
  const have = new Set(present);
  return required
    .filter((key) => !have.has(key))
    .map((key) => `${PROJECT}:${key}: is required (pulumi config set --secret ${key} <value>)`);
}
