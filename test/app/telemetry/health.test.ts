// Liveness, readiness and dependency health against the local PostgreSQL and Redis, and with each unreachable.
import express from 'express';
import Redis from 'ioredis';
import pg from 'pg';
import { healthRouter, type DependencyCheck } from '../../../app/telemetry/health';
import { databaseCheck, llmCheck, redisCheck, vectorStoreCheck } from '../../../app/telemetry/healthChecks';
import { closedPort } from './elasticsearchStandIn';
import { listen } from './httpServer';

const PG = { host: '127.0.0.1', port: 5432, user: process.env.PGUSER ?? 'postgres', database: 'test' };

function redisClient(port: number): Redis {
  // Fail fast instead of queueing commands and reconnecting forever: a probe must answer.
  return new Redis({ host: '127.0.0.1', port, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
}

async function probe(checks: DependencyCheck[], path: string, timeoutMs?: number) {
  const app = express();
  app.use(healthRouter({ checks, version: '1.0.0', timeoutMs }));
  const server = await listen(app);
  try {
    const res = await fetch(`${server.url}${path}`);
    return { status: res.status, body: await res.json() as Record<string, any>, cache: res.headers.get('cache-control') };
  } finally {
    await server.close();
  }
}

describe('health against the real PostgreSQL and Redis on this machine', () => {
  let pool: pg.Pool;
  let redis: Redis;
  beforeAll(async () => {
    pool = new pg.Pool({ ...PG, max: 2 });
    redis = redisClient(6379);
    await redis.connect();
  });
  afterAll(async () => {
    await pool.end();
    redis.disconnect();
  });

  const vector = vectorStoreCheck(async () => [1, 2, 3]);

  it('reports every dependency healthy with its latency', async () => {
    const { status, body, cache } = await probe([databaseCheck(pool), redisCheck(redis), vector, llmCheck(() => true)], '/health');
    expect(status).toBe(200);
    expect(cache).toBe('no-store');
    expect(Object.keys(body.checks).sort()).toEqual(['database', 'llm', 'redis', 'vectorStore']);
    for (const dep of Object.values(body.checks as Record<string, { healthy: boolean; status: string; latencyMs: unknown }>)) {
      expect(dep.healthy).toBe(true);
      expect(['optimal', 'degraded']).toContain(dep.status);
      expect(typeof dep.latencyMs).toBe('number');
    }
    expect(['healthy', 'degraded']).toContain(body.status);
    expect(body.version).toBe('1.0.0');
  });

  it('is ready when the store answers', async () => {
    const { status, body } = await probe([databaseCheck(pool), redisCheck(redis)], '/health/readiness');
    expect(status).toBe(200);
    expect(body.ready).toBe(true);
    expect(Object.keys(body.checks)).toEqual(['database']);
  });

  it('with Redis unreachable (closed loopback port): degraded, still ready', async () => {
    const deadRedis = redisClient(await closedPort());
    await deadRedis.connect().catch(() => undefined);
    try {
      const checks = [databaseCheck(pool), redisCheck(deadRedis), vector, llmCheck(() => true)];
      const health = await probe(checks, '/health');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('degraded');
      expect(health.body.checks.redis).toMatchObject({ healthy: false, status: 'down', required: false });
      expect(health.body.checks.database.healthy).toBe(true);
      expect((await probe(checks, '/health/readiness')).status).toBe(200);
    } finally {
      deadRedis.disconnect();
    }
  });

  it('with PostgreSQL unreachable (closed loopback port): unhealthy and not ready, with a clear error', async () => {
    const deadPool = new pg.Pool({ ...PG, port: await closedPort(), connectionTimeoutMillis: 1_000 });
    try {
      const checks = [databaseCheck(deadPool), redisCheck(redis)];
      const health = await probe(checks, '/health');
      expect(health.status).toBe(503);
      expect(health.body.status).toBe('unhealthy');
      expect(health.body.checks.database).toMatchObject({ healthy: false, status: 'down', error: 'ECONNREFUSED' });
      expect(health.body.checks.redis.healthy).toBe(true);
      const ready = await probe(checks, '/health/readiness');
      expect(ready.status).toBe(503);
      expect(ready.body.ready).toBe(false);
      const live = await probe(checks, '/health/liveness');
      expect(live.status).toBe(200);
      expect(live.body.status).toBe('alive');
    } finally {
      await deadPool.end();
    }
  });
});

describe('health ratings', () => {
  it('rates a dependency slower than its threshold degraded, and one that never answers down at the timeout', async () => {
    const slow: DependencyCheck = { name: 'vectorStore', required: false, optimalBelowMs: 20, check: () => new Promise((r) => setTimeout(r, 40)) };
    const stuck: DependencyCheck = { name: 'redis', required: false, optimalBelowMs: 50, check: () => new Promise(() => undefined) };
    const { body } = await probe([slow, stuck], '/health', 100);
    expect(body.checks.vectorStore).toMatchObject({ healthy: true, status: 'degraded' });
    expect(body.checks.redis).toMatchObject({ healthy: false, status: 'down', error: 'no answer within 100 ms' });
    expect(body.status).toBe('degraded');
  });

  it('reports the LLM down when its key is not configured, and keeps secrets out of error texts', async () => {
    const leaky: DependencyCheck = { name: 'database', required: true, optimalBelowMs: 100, check: async () => { throw new Error('connect postgres://app:s3cret@db failed'); } };
    const { body } = await probe([llmCheck(() => false), leaky], '/health');
    expect(body.checks.llm).toMatchObject({ healthy: false, error: 'LLM API key is not configured' });
    expect(JSON.stringify(body)).not.toContain('s3cret');
  });
});
