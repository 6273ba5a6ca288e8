// Versioned schema migrations, applied in order inside one transaction each and recorded in schema_migrations.

import type { Db } from './db';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'api keys, profile revisions, query events',
    sql: `
      CREATE TABLE api_keys (
        id          TEXT PRIMARY KEY,
        key_hash    TEXT NOT NULL UNIQUE,
        name        TEXT NOT NULL DEFAULT '',
        user_id     TEXT NOT NULL,
        scope       TEXT NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
        tier        TEXT NOT NULL CHECK (tier IN ('free', 'pro', 'enterprise')),
        created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        revoked_at  TIMESTAMPTZ
      );
      CREATE TABLE profile_revisions (
        id          BIGSERIAL PRIMARY KEY,
        section     TEXT NOT NULL,
        revision    INTEGER NOT NULL,
        content     TEXT NOT NULL,
        author_key_id TEXT,
        created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        UNIQUE (section, revision)
      );
      CREATE TABLE query_events (
        id            BIGSERIAL PRIMARY KEY,
        occurred_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
        key_id        TEXT,
        user_id       TEXT NOT NULL,
        tool          TEXT NOT NULL,
        platform      TEXT NOT NULL,
        tier          TEXT NOT NULL,
        latency_ms    DOUBLE PRECISION NOT NULL,
        results_count INTEGER NOT NULL,
        success       BOOLEAN NOT NULL,
        question      TEXT
      );
      CREATE INDEX query_events_occurred_at ON query_events (occurred_at);
    `,
  },
];

export async function migrate(db: Db): Promise<number[]> {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  const applied = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  const ran: number[] = [];
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of m.sql.split(';').map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
      // Two replicas migrating at once: the second fails on the primary key and rolls back its DDL.
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    });
    ran.push(m.version);
  }
  return ran;
}
