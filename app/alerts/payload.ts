// Alertmanager's webhook payload (version 4), as a zod schema: the only definition of what the intake accepts.
import { z } from 'zod';

const labelSet = z.record(z.string(), z.string());

export const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet.refine((labels) => typeof labels.alertname === 'string' && labels.alertname.length > 0, {
    message: 'must include a non-empty alertname',
  }),
  annotations: labelSet.default({}),
  startsAt: z.string().min(1),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

export const webhookPayloadSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().optional(),
  alerts: z.array(alertSchema).min(1).max(1000),
});

export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
export type ReceivedAlert = z.infer<typeof alertSchema>;

/** One line naming the first problems and where they are, e.g. `alerts[0].status: ...`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
    return `${where || 'payload'}: ${issue.message}`;
  }).join('; ');
}

export type ParseResult = { ok: true; payload: WebhookPayload } | { ok: false; message: string };

export function parseWebhookPayload(body: unknown): ParseResult {
  const result = webhookPayloadSchema.safeParse(body);
  return result.success ? { ok: true, payload: result.data } : { ok: false, message: `invalid Alertmanager webhook payload: ${describeIssues(result.error)}` };
}
