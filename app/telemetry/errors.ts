// Error reporting: Sentry (only when SENTRY_DSN is set) beside our own OpenTelemetry, and the express error handler.
// Sentry 11 registers no tracer provider unless asked; tracing stays off in Sentry so every span is ours and exported
// once, and openTelemetryIntegration() links each error to the active OpenTelemetry trace.
import * as Sentry from '@sentry/node';
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { routeTemplate } from './httpMetrics';
import { isSecretKey, redact, redactString } from './redact';
import { requestIdOf } from './requestContext';

export interface ErrorReportingOptions {
  dsn?: string;
  release: string;
  environment: string;
  /** Replaces the HTTPS transport (tests capture envelopes with it). */
  transport?: Sentry.NodeOptions['transport'];
}

export interface ErrorReporting {
  readonly enabled: boolean;
  /** Sends queued events; call on shutdown. */
  flush(timeoutMs?: number): Promise<boolean>;
}

type Env = Record<string, string | undefined>;

export function errorReportingOptionsFromEnv(env: Env = process.env): ErrorReportingOptions {
  return {
    dsn: env.SENTRY_DSN || undefined,
    release: env.APP_VERSION ?? env.npm_package_version ?? '0.0.0',
    environment: env.NODE_ENV ?? 'development',
  };
}

/** Events are walked this deep: stack frames with their variables sit around depth 8. */
const EVENT_DEPTH = 16;

/** Drops request bodies, cookies, query strings and secret headers, then scrubs every string left. */
export function scrubEvent<E extends Sentry.ErrorEvent>(event: E): E {
  const request = event.request;
  if (request) {
    delete request.data;
    delete request.cookies;
    delete request.query_string;
    if (request.headers) {
      for (const name of Object.keys(request.headers)) if (isSecretKey(name)) delete request.headers[name];
    }
  }
  if (event.user) event.user = event.user.id !== undefined ? { id: event.user.id } : {};
  return redact(event, EVENT_DEPTH);
}

function scrubBreadcrumb(breadcrumb: Sentry.Breadcrumb): Sentry.Breadcrumb {
  return redact(breadcrumb, EVENT_DEPTH);
}

export function initErrorReporting(options: ErrorReportingOptions): ErrorReporting {
  if (!options.dsn) return { enabled: false, flush: async () => true };
  Sentry.init({
    dsn: options.dsn,
    release: options.release,
    environment: options.environment,
    // No tracesSampleRate/tracesSampler: Sentry tracing is off, so it creates no spans of its own (no duplicates).
    enableOpenTelemetrySetup: false,
    integrations: [Sentry.openTelemetryIntegration()],
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: { request: { deny: ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'] }, response: false },
      httpBodies: [],
      urlQueryParams: false,
      genAI: { inputs: false, outputs: false },
    },
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
    ...(options.transport ? { transport: options.transport } : {}),
  });
  return { enabled: true, flush: (timeoutMs = 2_000) => Sentry.flush(timeoutMs) };
}

export interface ErrorLogger {
  error(message: string, meta?: Record<string, unknown>): unknown;
}

function statusOf(err: unknown): number | undefined {
  const candidate = (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof candidate === 'number' ? candidate : undefined;
}

/**
 * The last word on unexpected errors: reports to Sentry (a no-op without a DSN), logs with the request id and
 * answers 500 `{"error":"Internal server error","requestId":...}`. Client errors (4xx) are passed on untouched.
 */
export function errorHandler(logger: ErrorLogger): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    const status = statusOf(err);
    if (status !== undefined && status >= 400 && status < 500) {
      next(err);
      return;
    }
    const requestId = requestIdOf(req);
    const route = routeTemplate(req);
    const error = err instanceof Error ? err : new Error(redactString(String(err)));
    Sentry.withScope((scope) => {
      if (requestId) scope.setTag('request_id', requestId);
      scope.setTag('route', route);
      scope.setTag('method', req.method);
      Sentry.captureException(error);
    });
    logger.error('Unhandled error', { requestId, method: req.method, route, error });
    if (res.headersSent) {
      next(err);
      return;
    }
    res.status(500).json({ error: 'Internal server error', requestId });
  };
}
