// Opens the configured store (PostgreSQL when DATABASE_URL is set, else PGlite) and brings its schema up to date.

import type { AppConfig } from '../config';
import type { Db } from './db';
import { migrate } from './migrations';
import { openPglite } from './pglite-db';
import { openPostgres } from './pg-db';

export async function openStore(database: AppConfig['database']): Promise<Db> {
  const db = database.kind === 'postgres' ? await openPostgres(database) : await openPglite(database.dataDir);
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
  return db;
}
