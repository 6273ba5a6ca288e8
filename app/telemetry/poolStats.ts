// Reads a node-postgres pool's occupancy for the database_pool_connections_* gauges.
import type { PoolStats } from './metrics';

/** The fields of `pg.Pool` this reads; structural, so PGlite-backed stores can supply their own numbers. */
export interface PgPoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

/** node-postgres defaults `max` to 10 when it is not configured. */
const PG_DEFAULT_MAX = 10;

export function pgPoolStats(pool: PgPoolLike): () => PoolStats {
  return () => ({
    active: Math.max(0, pool.totalCount - pool.idleCount),
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    max: pool.options.max ?? PG_DEFAULT_MAX,
  });
}
