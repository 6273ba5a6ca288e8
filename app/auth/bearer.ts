// Express middleware: every MCP and admin call presents `Authorization: Bearer KEY`; the verified Caller goes to res.locals.

import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppLogger } from '../logger';
import type { AppObserver } from '../observer';
import type { ApiKeys } from './api-keys';
import { hasScope, type Caller, type Scope } from './caller';

export type ErrorShape = 'json' | 'jsonrpc';

/** Writes an error in the shape the endpoint speaks: JSON-RPC for /mcp (so MCP clients can show it), plain JSON elsewhere. */
export function sendError(res: Response, status: number, message: string, shape: ErrorShape, code = -32001): void {
  if (shape === 'jsonrpc') res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
  else res.status(status).json({ error: message });
}

export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new Error('requireKey middleware did not run before this handler');
  return caller;
}

export function requireKey(keys: ApiKeys, options: { scope: Scope; shape: ErrorShape; observer: AppObserver; logger: AppLogger }): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      options.observer.error('auth', 'low');
      res.setHeader('WWW-Authenticate', 'Bearer');
      sendError(res, 401, 'Unauthorized: send an API key as "Authorization: Bearer KEY"', options.shape);
      return;
    }
    let caller: Caller | null;
    try {
      caller = await keys.verify(match[1]);
    } catch (err) {
      options.observer.error('database', 'high');
      options.logger.error('API key verification failed', { error: (err as Error).message });
      sendError(res, 503, 'Service unavailable: API keys cannot be checked right now', options.shape, -32603);
      return;
    }
    if (!caller) {
      options.observer.error('auth', 'low');
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      sendError(res, 401, 'Unauthorized: the API key is unknown or has been revoked', options.shape);
      return;
    }
    if (!hasScope(caller, options.scope)) {
      options.observer.error('auth', 'low');
      sendError(res, 403, `Forbidden: this endpoint needs a key with ${options.scope} scope; this key has ${caller.scope} scope`, options.shape);
      return;
    }
    res.locals.caller = caller;
    next();
  };
}
