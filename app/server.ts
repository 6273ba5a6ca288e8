// Builds the express app around the services; instrumentation mounts its handlers through the slots in AppDeps.

import type { Server } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { adminRouter } from './admin/routes';
import { sendError } from './auth/bearer';
import type { AppLogger } from './logger';
import { mcpRouter } from './mcp/route';
import type { AppObserver } from './observer';
import type { Services } from './services';

export interface AppDeps {
  services: Services;
  logger?: AppLogger;
  observer?: AppObserver;
  /** Mounted first, in order (request ids, HTTP metrics, /metrics, /health*, /alerts/webhook...). */
  beforeRoutes?: RequestHandler[];
  /** Fault injection for the local runner: runs after beforeRoutes, before the MCP and admin routes. */
  faultInjection?: RequestHandler[];
  /** Mounted after the MCP and admin routes, before the 404 handler. */
  afterRoutes?: RequestHandler[];
  /** Error handlers (e.g. Sentry's) that run before the final JSON error handler. */
  errorHandlers?: ErrorRequestHandler[];
}

export interface BuiltApp {
  app: Express;
  /** Starts listening; resolves with the bound port (0 picks an ephemeral one). */
  listen(port: number, host: string): Promise<{ server: Server; port: number }>;
  /** Stops accepting connections, waits for in-flight requests, then closes the services. */
  close(): Promise<void>;
}

export function createApp(deps: AppDeps): BuiltApp {
  const { services } = deps;
  const logger = deps.logger ?? services.logger;
  const observer = deps.observer ?? services.observer;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  for (const handler of deps.beforeRoutes ?? []) app.use(handler);
  for (const handler of deps.faultInjection ?? []) app.use(handler);
  app.use(mcpRouter({ twin: services.twin, keys: services.keys, observer, logger, maxQuestionChars: services.config.maxQuestionChars }));
  app.use(adminRouter({ keys: services.keys, analytics: services.analytics, profiles: services.profiles, observer, logger }));
  for (const handler of deps.afterRoutes ?? []) app.use(handler);

  app.use((req: Request, res: Response) => {
    sendError(res, 404, `Not found: ${req.method} ${req.path.slice(0, 100)}`, 'json');
  });
  for (const handler of deps.errorHandlers ?? []) app.use(handler);
  app.use(((err: Error & { status?: number }, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
    if (status >= 500) {
      observer.error('server_error', 'high');
      logger.error('Request failed', { method: req.method, path: req.path, error: err.message });
    }
    if (res.headersSent) return;
    sendError(res, status, status >= 500 ? 'Internal server error' : `Bad request: ${err.message}`, 'json');
  }) as ErrorRequestHandler);

  let server: Server | undefined;
  return {
    app,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const s = app.listen(port, host, (err?: Error) => {
          if (err) return reject(err);
          server = s;
          const address = s.address();
          resolve({ server: s, port: typeof address === 'object' && address ? address.port : port });
        });
        s.once('error', reject);
      });
    },
    async close() {
      if (server) {
        const s = server;
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeIdleConnections();
        });
      }
      await services.close();
    },
  };
}
