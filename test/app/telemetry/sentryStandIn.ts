// Sentry stand-in for tests: a Sentry transport that keeps every envelope instead of sending it to sentry.io.
// Sentry's servers cannot run here; the envelope is exactly what would have left the process.
import * as Sentry from '@sentry/node';

export interface SentryStandIn {
  transport: NonNullable<Sentry.NodeOptions['transport']>;
  /** Raw envelope texts. */
  envelopes: string[];
  /** Error events parsed out of the envelopes. */
  events(): Array<Record<string, unknown>>;
}

export function sentryStandIn(): SentryStandIn {
  const envelopes: string[] = [];
  const transport: SentryStandIn['transport'] = (options) => Sentry.createTransport(options, async (request) => {
    envelopes.push(typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8'));
    return { statusCode: 200 };
  });
  return {
    transport,
    envelopes,
    events: () => envelopes.flatMap((envelope) => {
      const lines = envelope.split('\n').filter(Boolean);
      const out: Array<Record<string, unknown>> = [];
      for (let i = 1; i + 1 < lines.length; i += 2) {
        const header = JSON.parse(lines[i]) as { type?: string };
        if (header.type === 'event') out.push(JSON.parse(lines[i + 1]) as Record<string, unknown>);
      }
      return out;
    }),
  };
}
