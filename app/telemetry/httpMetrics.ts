// Express middleware recording the RED metrics of every request: duration, count, requests in flight.
import { context, isSpanContextValid, trace, TraceFlags } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { UNMATCHED_ROUTE, type Metrics } from './metrics';

/** The matched route template (`/api/profile/:id`), never the raw path; UNMATCHED_ROUTE when no route matched. */
export function routeTemplate(req: Request): string {
  const path: unknown = (req as Request & { route?: { path?: unknown } }).route?.path;
  if (typeof path !== 'string') return UNMATCHED_ROUTE;
  const joined = `${req.baseUrl ?? ''}${path === '/' && req.baseUrl ? '' : path}`;
  return joined === '' ? '/' : joined;
}

/** Trace id of the active span when it is sampled, for exemplars; an unsampled trace cannot be looked up. */
function sampledTraceId(): string | undefined {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  return spanContext.traceFlags & TraceFlags.SAMPLED ? spanContext.traceId : undefined;
}

export function httpMetricsMiddleware(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    const release = metrics.trackActiveConnection();
    const traceId = sampledTraceId();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      release();
      // A client that hangs up before the response is complete is recorded with the status we had set.
      const statusCode = res.statusCode;
      metrics.recordHttpRequest({
        method: req.method, route: routeTemplate(req), statusCode,
        seconds: Number(process.hrtime.bigint() - start) / 1e9, traceId,
      });
      if (statusCode >= 400) metrics.recordError(statusCode >= 500 ? 'server_error' : 'client_error', 'medium');
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
