// `POST /alerts/webhook`: Alertmanager's webhook receiver. Authenticates with a bearer token, validates the payload,
// logs every alert at error level (the seed's "always log") and counts it. Paging and chat are Alertmanager's job.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { parseWebhookPayload } from './payload';

export const ALERT_WEBHOOK_PATH = '/alerts/webhook';

export interface AlertLogger {
  error(message: string, meta?: Record<string, unknown>): unknown;
}

export interface AlertCounter {
  recordAlert(severity: string, status: string): void;
}

export interface AlertWebhookOptions {
  /** Shared with Alertmanager's `http_config.authorization.credentials_file`; without it every call is refused. */
  token: string | undefined;
  logger: AlertLogger;
  metrics: AlertCounter;
}

/** Compares digests so neither the token's length nor its prefix leaks through timing. */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer ([^\s]+)$/i.exec(header ?? '');
  return m?.[1];
}

export function alertWebhookRouter(options: AlertWebhookOptions): Router {
  const router = express.Router();
  const authenticate = (req: Request, res: Response, next: NextFunction): void => {
    if (!options.token) {
      res.status(503).json({ error: 'alert webhook is not configured: set ALERT_WEBHOOK_TOKEN' });
      return;
    }
    const presented = bearerToken(req.headers.authorization);
    if (presented === undefined || !tokenMatches(presented, options.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="alerts"');
      res.status(401).json({ error: 'missing or invalid bearer token' });
      return;
    }
    next();
  };
  const requireJson = (req: Request, res: Response, next: NextFunction): void => {
    if (!req.is('application/json')) {
      res.status(415).json({ error: 'expected Content-Type application/json' });
      return;
    }
    next();
  };
  const jsonBody = express.json({ limit: '1mb' });
  const bodyErrors = (err: Error & { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction): void => {
    if (err.type === 'entity.parse.failed') res.status(400).json({ error: 'request body is not valid JSON' });
    else if (err.type === 'entity.too.large') res.status(413).json({ error: 'request body is larger than 1 MB' });
    else next(err);
  };
  const receive = (req: Request, res: Response): void => {
    const parsed = parseWebhookPayload(req.body);
    if (!parsed.ok) {
      res.status(400).json({ error: parsed.message });
      return;
    }
    const { payload } = parsed;
    for (const alert of payload.alerts) {
      const severity = alert.labels.severity ?? 'other';
      options.metrics.recordAlert(severity, alert.status);
      options.logger.error('Alert received', {
        alertname: alert.labels.alertname,
        status: alert.status,
        severity,
        labels: alert.labels,
        annotations: alert.annotations,
        startsAt: alert.startsAt,
        endsAt: alert.endsAt,
        fingerprint: alert.fingerprint,
        receiver: payload.receiver,
        groupKey: payload.groupKey,
      });
    }
    res.status(200).json({ received: payload.alerts.length });
  };
  router.post(ALERT_WEBHOOK_PATH, authenticate, requireJson, jsonBody, bodyErrors, receive);
  return router;
}
