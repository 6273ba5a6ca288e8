// Ready-made health checks for the clients the server uses; structural types so this needs neither pg nor ioredis.
import { SEED_THRESHOLDS_MS, type DependencyCheck } from './health';

export interface Queryable {
  query(sql: string): Promise<unknown>;
}

export interface Pingable {
  ping(): Promise<unknown>;
}

export function databaseCheck(db: Queryable, required = true): DependencyCheck {
  return { name: 'database', required, optimalBelowMs: SEED_THRESHOLDS_MS.database, check: () => db.query('SELECT 1') };
}

export function redisCheck(redis: Pingable, required = false): DependencyCheck {
  return { name: 'redis', required, optimalBelowMs: SEED_THRESHOLDS_MS.redis, check: () => redis.ping() };
}

export function vectorStoreCheck(probe: () => Promise<unknown>, required = false): DependencyCheck {
  return { name: 'vectorStore', required, optimalBelowMs: SEED_THRESHOLDS_MS.vectorStore, check: probe };
}

/** The seed checks the LLM by configuration only: a paid API call per probe would cost money and rate limit. */
export function llmCheck(configured: () => boolean, required = false): DependencyCheck {
  return {
    name: 'llm',
    required,
    optimalBelowMs: SEED_THRESHOLDS_MS.llm,
    check: async () => {
      if (!configured()) throw new Error('LLM API key is not configured');
    },
  };
}
