// Fault injection for `npm run local` and tests only: a middleware that delays and fails requests, and the admin
// route (`GET`/`PUT /admin/fault`, admin key) that switches it while the app runs. Off unless FAULT_INJECTION=1.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { requireKey, sendError } from '../auth/bearer';
import type { ApiKeys } from '../auth/api-keys';
import type { AppLogger } from '../logger';
import type { AppObserver } from '../observer';
import { FaultState, faultsUpdate } from './faultState';

export const FAULT_PATH = '/admin/fault';

/** Delays, then fails a share of the requests that reach it; the fault route itself is never affected. */
export function faultMiddleware(state: FaultState, random: () => number = Math.random): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path === FAULT_PATH) return next();
    const { errorRate, latencyMs } = state.get();
    const proceed = () => {
      if (errorRate > 0 && random() < errorRate) {
        sendError(res, 503, 'Service unavailable: fault injected', req.path === '/mcp' ? 'jsonrpc' : 'json', -32603);
        return;
      }
      next();
    };
    if (latencyMs > 0) setTimeout(proceed, latencyMs);
    else proceed();
  };
}

export interface FaultRouteDeps {
  keys: ApiKeys;
  observer: AppObserver;
  logger: AppLogger;
}

export function faultRouter(state: FaultState, deps: FaultRouteDeps): express.Router {
  const router = express.Router();
  router.use(FAULT_PATH, requireKey(deps.keys, { scope: 'admin', shape: 'json', observer: deps.observer, logger: deps.logger }));
  router.get(FAULT_PATH, (_req: Request, res: Response) => {
    res.json(state.get());
  });
  router.put(FAULT_PATH, express.json({ limit: '1kb' }), (req: Request, res: Response) => {
    const parsed = faultsUpdate.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.issues.map((i) => i.message).join('; ') });
      return;
    }
    const faults = state.set(parsed.data);
    deps.logger.warn('Fault injection changed', { ...faults });
    res.json(faults);
  });
  router.use(FAULT_PATH, (err: { type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (err.type === 'entity.parse.failed') res.status(400).json({ error: 'request body is not valid JSON' });
    else if (err.type === 'entity.too.large') res.status(413).json({ error: 'request body is larger than 1 kB' });
    else next(err);
  });
  return router;
}

/** The createApp `faultInjection` slot: handlers only when FAULT_INJECTION=1, otherwise none at all. */
export function faultInjectionFromEnv(env: Record<string, string | undefined>, deps: FaultRouteDeps): RequestHandler[] | undefined {
  if (env.FAULT_INJECTION !== '1') return undefined;
  deps.logger.warn('Fault injection is enabled (FAULT_INJECTION=1): for local runs and tests only', { route: FAULT_PATH });
  const state = new FaultState();
  return [faultRouter(state, deps), faultMiddleware(state)];
}
