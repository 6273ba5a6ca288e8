// The SLO spec's shape, defined once with zod: the TypeScript types and slo.schema.json both come from here.
import { z } from 'zod';

const durationPattern = /^(\d+(ms|s|m|h|d|w|y))+$/;
const duration = z
  .string()
  .regex(durationPattern, 'must be a duration such as 30s, 5m, 1h, 30d');

const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, 'must be lower-case letters, digits and dashes, starting with a letter');

const alertName = z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be UpperCamelCase, like HighErrorRate');

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name');

const labels = z
  .record(labelName, z.string())
  .describe('Labels added to every generated rule and alert');

/** A PromQL instant-vector selector (`metric{label="value"}`), or a list of them to be summed. */
const selectors = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const ratioSli = z
  .strictObject({
    errors: selectors.optional().describe('Selector(s) counting bad events'),
    good: selectors.optional().describe('Selector(s) counting good events'),
    total: selectors.describe('Selector(s) counting all events'),
  })
  .refine((r) => (r.errors === undefined) !== (r.good === undefined), {
    message: 'set exactly one of `errors` or `good`',
  });

export const latencySli = z.strictObject({
  histogram: z.string().min(1).describe('Histogram name, optionally with matchers: http_request_duration_seconds{route="/mcp"}'),
  threshold: z.number().positive().describe('Seconds; must be one of the histogram bucket bounds'),
});

/** Exactly one kind of SLI; an object rather than a union so that a typo is reported as an unknown key. */
export const sli = z
  .strictObject({ ratio: ratioSli.optional(), latency: latencySli.optional() })
  .refine((s) => (s.ratio === undefined) !== (s.latency === undefined), {
    message: 'set exactly one of `ratio` or `latency`',
  });

export const alerting = z.strictObject({
  page: z.boolean().default(true).describe('Fast-burn alerts (severity critical)'),
  ticket: z.boolean().default(true).describe('Slow-burn alerts (severity warning)'),
  minEvents: z
    .number().int().nonnegative().default(30)
    .describe('Burn-rate alerts stay silent while the long window holds fewer events than this'),
});

export const slo = z.strictObject({
  name,
  objective: z
    .number()
    .gt(0, 'must be above 0 (a percentage)')
    .lt(100, 'must be below 100: a 100% objective leaves no error budget'),
  window: duration.default('30d'),
  description: z.string().optional(),
  sli,
  alerting: alerting.default({ page: true, ticket: true, minEvents: 30 }),
  labels: labels.optional(),
});

export const severity = z.enum(['critical', 'warning', 'info']);

export const thresholdAlert = z.strictObject({
  name: alertName,
  expr: z.string().min(1).describe('PromQL; the alert fires while it returns series'),
  for: duration.default('0s'),
  severity,
  summary: z.string().min(1),
  description: z.string().min(1),
  labels: labels.optional(),
  runbook: z.string().optional().describe('Runbook anchor; defaults to the alert name in lower case'),
});

/** Exactly one integration per receiver entry; secrets (routing keys, webhook URLs, passwords) are deploy-time files. */
export const receiver = z
  .strictObject({
    pagerduty: z
      .strictObject({ service: z.string().optional().describe('PagerDuty service name, for the receiver name only') })
      .optional(),
    slack: z
      .strictObject({ channel: z.string().regex(/^#[a-z0-9_-]+$/, 'must be a channel name such as #alerts-critical') })
      .optional(),
    email: z.strictObject({ to: z.email('must be an e-mail address') }).optional(),
  })
  .refine((r) => Object.values(r).filter((v) => v !== undefined).length === 1, {
    message: 'set exactly one of `pagerduty`, `slack` or `email`',
  });

export const route = z.strictObject({
  severity,
  receivers: z.array(receiver).min(1),
  groupWait: duration.optional(),
  groupInterval: duration.optional(),
  repeatInterval: duration.optional(),
});

export const externalMetric = z.strictObject({
  name: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a Prometheus metric name'),
  type: z.enum(['counter', 'gauge', 'histogram']),
  buckets: z.array(z.number().positive()).optional(),
  source: z.string().optional().describe('Who exports it, for example kube-state-metrics'),
});

export const links = z.strictObject({
  runbookBaseUrl: z.url().optional().describe('URL the runbook path is resolved against in runbook_url'),
  grafanaUrl: z.url().optional().describe('Grafana base URL for dashboard_url annotations'),
});

export const specSchema = z
  .strictObject({
    $schema: z.string().optional(),
    service: name.describe('Service name: the `service` label of every generated rule'),
    labels: labels.optional(),
    runbook: z.string().min(1).default('RUNBOOK.md'),
    links: links.optional(),
    externalMetrics: z.array(externalMetric).optional().describe('Metrics the service does not export itself'),
    slos: z.array(slo).min(1),
    alerts: z.array(thresholdAlert).default([]),
    routing: z.array(route).min(1),
  })
  .describe('An SLO spec: objectives, threshold alerts and notification routing for one service');

export type Spec = z.output<typeof specSchema>;
export type SpecInput = z.input<typeof specSchema>;
export type Slo = Spec['slos'][number];
export type Sli = Slo['sli'];
export type RatioSli = z.output<typeof ratioSli>;
export type LatencySli = z.output<typeof latencySli>;
export type ThresholdAlert = Spec['alerts'][number];
export type Route = Spec['routing'][number];
export type Receiver = Route['receivers'][number];
export type Severity = z.output<typeof severity>;
export type ExternalMetric = z.output<typeof externalMetric>;

/** The JSON Schema editors use through `# yaml-language-server: $schema=./slo.schema.json`. */
export function specJsonSchema(): object {
  return z.toJSONSchema(specSchema, { io: 'input', target: 'draft-7' });
}
