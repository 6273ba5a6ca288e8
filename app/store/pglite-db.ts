// PGlite, the embedded Postgres default: one in-process connection, data persisted in a directory.

import { mkdir } from 'node:fs/promises';
import type { PGlite as PGliteType, Transaction } from '@electric-sql/pglite';
import type { PoolStats } from '../observer';
import type { Db, Queryable } from './db';

/** `memory://` keeps the database in memory (tests); any other value is a directory, created if absent. */
export async function openPglite(dataDir: string): Promise<Db> {
  // Imported lazily: deployments on PostgreSQL never load PGlite's WebAssembly.
  const { PGlite } = await import('@electric-sql/pglite');
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  return new PgliteDb(db);
}

class PgliteDb implements Db {
  readonly kind = 'pglite';
  private inFlight = 0;

  constructor(private readonly db: Pick<PGliteType, 'query' | 'transaction' | 'close'>) {}

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.track(async () => (await this.db.query<Row>(sql, params as unknown[])).rows);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.track(() =>
      this.db.transaction(async (t: Transaction) => {
        const tx: Queryable = { query: async <Row>(sql: string, params: readonly unknown[] = []) => (await t.query<Row>(sql, params as unknown[])).rows };
        return fn(tx);
      }),
    );
  }

  /** PGlite serialises statements on its single connection: one is active, the rest wait. */
  private async track<T>(run: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await run();
    } finally {
      this.inFlight--;
    }
  }

  poolStats(): PoolStats {
    const busy = Math.min(1, this.inFlight);
    return { active: busy, idle: 1 - busy, waiting: Math.max(0, this.inFlight - 1), max: 1 };
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
