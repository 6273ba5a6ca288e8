// API keys: created with a scope and tier, shown once, stored only as a SHA-256 hash, verified in constant time.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db';
import type { Caller, Scope, Tier } from './caller';

export interface KeyRecord {
  id: string;
  name: string;
  userId: string;
  scope: Scope;
  tier: Tier;
  createdAt: Date;
  revokedAt: Date | null;
}

interface KeyRow {
  id: string;
  key_hash: string;
  name: string;
  user_id: string;
  scope: Scope;
  tier: Tier;
  created_at: Date | string;
  revoked_at: Date | string | null;
}

export const BOOTSTRAP_ADMIN_ID = 'key_bootstrap_admin';

/** 256 bits of randomness: a single SHA-256 (no salt, no stretching) is enough for keys that cannot be guessed. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function toRecord(row: KeyRow): KeyRecord {
  return {
    id: row.id,
    name: row.name,
    userId: row.user_id,
    scope: row.scope,
    tier: row.tier,
    createdAt: new Date(row.created_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}

export class ApiKeys {
  constructor(private readonly db: Db) {}

  async create(input: { scope: Scope; tier: Tier; name?: string; userId?: string }): Promise<{ key: string; record: KeyRecord }> {
    const id = `key_${randomBytes(8).toString('hex')}`;
    const key = `dtk_${randomBytes(32).toString('base64url')}`;
    const rows = await this.db.query<KeyRow>(
      `INSERT INTO api_keys (id, key_hash, name, user_id, scope, tier) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [id, hashKey(key), input.name ?? '', input.userId ?? id, input.scope, input.tier],
    );
    return { key, record: toRecord(rows[0]) };
  }

  /** Returns false when no such key exists; revoking twice keeps the first revocation time. */
  async revoke(id: string): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING id',
      [id],
    );
    return rows.length > 0;
  }

  async list(): Promise<KeyRecord[]> {
    return (await this.db.query<KeyRow>('SELECT * FROM api_keys ORDER BY created_at, id')).map(toRecord);
  }

  /** Makes ADMIN_API_KEY a stored admin key (hashed like any other); a changed value replaces the old one. */
  async ensureBootstrapAdmin(key: string): Promise<void> {
    await this.db.query(
      `INSERT INTO api_keys (id, key_hash, name, user_id, scope, tier) VALUES ($1, $2, 'bootstrap admin (ADMIN_API_KEY)', 'admin', 'admin', 'enterprise')
       ON CONFLICT (id) DO UPDATE SET key_hash = EXCLUDED.key_hash, revoked_at = NULL`,
      [BOOTSTRAP_ADMIN_ID, hashKey(key)],
    );
  }

  /** The caller a presented key stands for, or null when it is unknown or revoked. */
  async verify(presented: string): Promise<Caller | null> {
    if (!presented || presented.length > 512) return null;
    const digest = hashKey(presented);
    const rows = await this.db.query<KeyRow>('SELECT * FROM api_keys WHERE key_hash = $1', [digest]);
    const row = rows[0];
    // The lookup is by hash, so its timing reveals nothing about the key; the constant-time check guards the final match.
    if (!row || !timingSafeEqual(Buffer.from(row.key_hash, 'hex'), Buffer.from(digest, 'hex'))) return null;
    if (row.revoked_at !== null) return null;
    return { keyId: row.id, userId: row.user_id, scope: row.scope, tier: row.tier };
  }
}
