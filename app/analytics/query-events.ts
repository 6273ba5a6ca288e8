// One analytics event per query (ask_twin, search_profile): who, from where, how fast, how many results, success.

import type { Db } from '../store/db';

export interface QueryEvent {
  keyId: string;
  userId: string;
  tool: 'ask_twin' | 'search_profile';
  platform: string;
  tier: string;
  latencyMs: number;
  resultsCount: number;
  success: boolean;
  /** Kept for top-questions analytics only; never logged, never a metric label or span attribute. */
  question: string;
  occurredAt?: Date;
}

export class QueryEvents {
  constructor(private readonly db: Db) {}

  async record(e: QueryEvent): Promise<void> {
    await this.db.query(
      `INSERT INTO query_events (occurred_at, key_id, user_id, tool, platform, tier, latency_ms, results_count, success, question)
       VALUES (COALESCE($1::timestamptz, now()), $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [e.occurredAt?.toISOString() ?? null, e.keyId, e.userId, e.tool, e.platform, e.tier, e.latencyMs, e.resultsCount, e.success, e.question],
    );
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM query_events');
    return Number(n);
  }
}
