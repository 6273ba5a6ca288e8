// PostgreSQL through a pg Pool; an optional schema isolates a deployment (or a test run) inside one database.

import { Pool, type PoolClient } from 'pg';
import type { PoolStats } from '../observer';
import type { Db, Queryable } from './db';

export interface PgOptions {
  url: string;
  schema?: string;
  poolMax: number;
}

export async function openPostgres(options: PgOptions): Promise<Db> {
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolMax,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    // search_path per connection, so every statement stays unqualified and identical to PGlite's.
    options: options.schema ? `-c search_path=${options.schema}` : undefined,
  });
  // An idle client losing its server must not crash the process; the next query reports the failure.
  pool.on('error', () => {});
  if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
  else await pool.query('SELECT 1');
  return new PgDb(pool, options.poolMax);
}

class PgDb implements Db {
  readonly kind = 'postgres';
  constructor(
    private readonly pool: Pool,
    private readonly max: number,
  ) {}

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.pool.query(sql, params as unknown[]);
    return result.rows as Row[];
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const tx: Queryable = {
        query: async <Row>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rows as Row[],
      };
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  poolStats(): PoolStats {
    const total = this.pool.totalCount;
    const idle = this.pool.idleCount;
    return { active: total - idle, idle, waiting: this.pool.waitingCount, max: this.max };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
