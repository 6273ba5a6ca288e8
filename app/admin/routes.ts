// Admin HTTP API (admin-scope keys only): create, list and revoke API keys; query analytics; profile revision history.

import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { QueryAnalytics } from '../analytics/query-analytics';
import type { ApiKeys, KeyRecord } from '../auth/api-keys';
import { requireKey, sendError } from '../auth/bearer';
import { SCOPES, TIERS } from '../auth/caller';
import type { AppLogger } from '../logger';
import type { AppObserver } from '../observer';
import type { ProfileStore } from '../twin/profile-store';

export interface AdminDeps {
  keys: ApiKeys;
  analytics: QueryAnalytics;
  profiles: ProfileStore;
  observer: AppObserver;
  logger: AppLogger;
}

const createKeyBody = z.object(
  {
    scope: z.enum(SCOPES, { message: `scope must be one of ${SCOPES.join(', ')}` }),
    tier: z.enum(TIERS, { message: `tier must be one of ${TIERS.join(', ')}` }).default('free'),
    name: z.string({ message: 'name must be a string' }).max(100, 'name must be at most 100 characters').optional(),
    userId: z.string({ message: 'userId must be a string' }).regex(/^[\w.@-]{1,100}$/, 'userId must be 1-100 letters, digits or ._@-').optional(),
  },
  { message: 'the body must be a JSON object' },
).strict();

const isoDate = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const d = new Date(v);
      if (Number.isNaN(d.getTime())) {
        ctx.addIssue({ code: 'custom', message: `${name} must be an ISO 8601 date or date-time (got "${v.slice(0, 40)}")` });
        return z.NEVER;
      }
      return d;
    });

const analyticsQuery = z.object({ from: isoDate('from'), to: isoDate('to') });

function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  const field = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message;
}

const publicKey = (k: KeyRecord) => ({
  id: k.id, name: k.name, userId: k.userId, scope: k.scope, tier: k.tier,
  createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null,
});

export function adminRouter(deps: AdminDeps): Router {
  const router = Router();
  router.use('/admin', requireKey(deps.keys, { scope: 'admin', shape: 'json', observer: deps.observer, logger: deps.logger }));
  router.use('/admin', express.json({ limit: '16kb' }));

  router.post('/admin/keys', async (req: Request, res: Response) => {
    const parsed = createKeyBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      deps.observer.error('validation', 'low');
      sendError(res, 400, `Invalid key request: ${firstProblem(parsed.error)}`, 'json');
      return;
    }
    const { key, record } = await deps.keys.create(parsed.data);
    deps.observer.apiKeyCreated();
    deps.logger.info('API key created', { keyId: record.id, scope: record.scope, tier: record.tier });
    res.status(201).json({ ...publicKey(record), key, note: 'Store this key now: it is shown only once.' });
  });

  router.get('/admin/keys', async (_req: Request, res: Response) => {
    res.json({ keys: (await deps.keys.list()).map(publicKey) });
  });

  router.delete('/admin/keys/:id', async (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (!(await deps.keys.revoke(id))) {
      sendError(res, 404, `No API key with id "${id.slice(0, 64)}"`, 'json');
      return;
    }
    deps.logger.info('API key revoked', { keyId: id });
    res.json({ id, revoked: true });
  });

  router.get('/admin/analytics', async (req: Request, res: Response) => {
    const parsed = analyticsQuery.safeParse(req.query);
    if (!parsed.success) {
      deps.observer.error('validation', 'low');
      sendError(res, 400, `Invalid analytics query: ${firstProblem(parsed.error)}`, 'json');
      return;
    }
    const now = new Date();
    const to = parsed.data.to ?? now;
    const from = parsed.data.from ?? new Date(to.getTime() - 30 * 86_400_000);
    if (from >= to) {
      sendError(res, 400, 'Invalid analytics query: from must be earlier than to', 'json');
      return;
    }
    res.json(await deps.analytics.stats(from, to, now));
  });

  router.get('/admin/profile/:section/history', async (req: Request, res: Response) => {
    const history = await deps.profiles.history(String(req.params.section));
    if (history.length === 0) {
      sendError(res, 404, `No profile section "${String(req.params.section).slice(0, 64)}"`, 'json');
      return;
    }
    res.json({ section: req.params.section, revisions: history.map((r) => ({ revision: r.revision, createdAt: r.createdAt.toISOString(), content: r.content })) });
  });

  router.use('/admin', (err: { type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (err?.type === 'entity.parse.failed') sendError(res, 400, 'Invalid request: the body is not valid JSON', 'json');
    else if (err?.type === 'entity.too.large') sendError(res, 413, 'Request too large: admin request bodies may be at most 16 kB', 'json');
    else next(err);
  });
  return router;
}
