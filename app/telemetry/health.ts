// Health endpoints: liveness (the process answers), readiness (required dependencies reachable) and the full
// dependency report with latency, rated optimal or degraded by the seed's thresholds.
import type { Request, Response, Router } from 'express';
import express from 'express';
import { redactString } from './redact';

/** The seed's latency thresholds (ms) under which a dependency is `optimal`. */
export const SEED_THRESHOLDS_MS = { database: 100, vectorStore: 200, redis: 50, llm: Number.POSITIVE_INFINITY } as const;

export interface DependencyCheck {
  name: string;
  /** A required dependency that is down makes the server unready; an optional one only degrades it. */
  required: boolean;
  optimalBelowMs: number;
  /** Resolves when the dependency answers; rejects (or exceeds the timeout) when it does not. */
  check: () => Promise<unknown>;
}

export interface DependencyHealth {
  healthy: boolean;
  status: 'optimal' | 'degraded' | 'down';
  required: boolean;
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'healthy' | 'degraded' | 'unhealthy';
  timestamp: string;
  version: string;
  uptimeSeconds: number;
  checks: Record<string, DependencyHealth>;
}

export interface HealthOptions {
  checks: readonly DependencyCheck[];
  version: string;
  /** A check that has not answered by then counts as down, so a black-holed dependency cannot hang the probe. */
  timeoutMs?: number;
}

function describe(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown; errors?: unknown[] } | null;
  const text = typeof e?.code === 'string' ? e.code
    : typeof e?.message === 'string' && e.message ? e.message
      : Array.isArray(e?.errors) && e.errors.length > 0 ? describe(e.errors[0]) : String(error);
  return redactString(text).slice(0, 200);
}

async function runCheck(dep: DependencyCheck, timeoutMs: number): Promise<DependencyHealth> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      dep.check(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const latencyMs = Math.round((performance.now() - start) * 100) / 100;
    return { healthy: true, status: latencyMs < dep.optimalBelowMs ? 'optimal' : 'degraded', required: dep.required, latencyMs };
  } catch (error) {
    const latencyMs = Math.round((performance.now() - start) * 100) / 100;
    return { healthy: false, status: 'down', required: dep.required, latencyMs, error: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(options: HealthOptions, only?: (dep: DependencyCheck) => boolean): Promise<HealthReport> {
  const deps = options.checks.filter(only ?? (() => true));
  const results = await Promise.all(deps.map((dep) => runCheck(dep, options.timeoutMs ?? 2_000)));
  const checks = Object.fromEntries(deps.map((dep, i) => [dep.name, results[i]]));
  const requiredDown = results.some((r) => r.required && !r.healthy);
  const anyNotOptimal = results.some((r) => r.status !== 'optimal');
  return {
    status: requiredDown ? 'unhealthy' : anyNotOptimal ? 'degraded' : 'healthy',
    timestamp: new Date().toISOString(),
    version: options.version,
    uptimeSeconds: Math.round(process.uptime()),
    checks,
  };
}

/** `/health/liveness`, `/health/readiness` and `/health`; probes must never be cached. */
export function healthRouter(options: HealthOptions): Router {
  const router = express.Router();
  const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');
  router.get('/health/liveness', (_req: Request, res: Response) => {
    noStore(res);
    res.status(200).json({ status: 'alive', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/health/readiness', async (_req: Request, res: Response) => {
    const report = await checkHealth(options, (dep) => dep.required);
    noStore(res);
    res.status(report.status === 'unhealthy' ? 503 : 200).json({ ready: report.status !== 'unhealthy', checks: report.checks });
  });
  router.get('/health', async (_req: Request, res: Response) => {
    const report = await checkHealth(options);
    noStore(res);
    res.status(report.status === 'unhealthy' ? 503 : 200).json(report);
  });
  return router;
}
