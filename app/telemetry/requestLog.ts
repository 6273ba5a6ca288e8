// One log line per finished request (method, route template, status, duration), correlated with its trace.
import { context } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { routeTemplate } from './httpMetrics';
import { requestIdOf } from './requestContext';

export interface HttpLogger {
  log(level: string, message: string, meta?: Record<string, unknown>): unknown;
}

export function requestLogMiddleware(logger: HttpLogger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    // 'finish' fires outside the request's async context, so the trace context is captured now.
    const requestContext = context.active();
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const statusCode = res.writableFinished ? res.statusCode : 499;
      context.with(requestContext, () => logger.log(statusCode >= 500 ? 'warn' : 'http', 'Request completed', {
        requestId: requestIdOf(req),
        method: req.method,
        route: routeTemplate(req),
        // the path without its query string, which may carry tokens; redaction scrubs what remains
        path: req.originalUrl.split('?')[0],
        statusCode,
        durationMs: Math.round(Number(process.hrtime.bigint() - start) / 1e4) / 100,
        contentLength: res.getHeader('content-length'),
        userAgent: req.headers['user-agent'],
      }));
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
