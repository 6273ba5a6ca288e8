// Query analytics (the seed's QueryAnalytics): aggregates over query_events for a time range, computed in SQL.

import type { Db } from '../store/db';
import { popularTopics, type TopicCount } from './topics';

export interface QueryStats {
  from: string;
  to: string;
  totalQueries: number;
  uniqueUsers: number;
  averageLatencyMs: number | null;
  p95LatencyMs: number | null;
  p99LatencyMs: number | null;
  successRate: number | null;
  byPlatform: Record<string, number>;
  byUserTier: Record<string, number>;
  byTool: Record<string, number>;
  /** Hour of day (UTC, 0-23) to query count; every hour present. */
  byHour: number[];
  topQuestions: Array<{ question: string; count: number }>;
  popularTopics: { windowDays: number; topics: TopicCount[] };
}

const TOPIC_WINDOW_DAYS = 30;
/** Bounds the rows read for topic extraction; the newest questions are the most relevant. */
const TOPIC_SAMPLE = 5000;

const round = (n: number | null | undefined) => (n === null || n === undefined ? null : Math.round(Number(n) * 100) / 100);

export class QueryAnalytics {
  constructor(private readonly db: Db) {}

  async stats(from: Date, to: Date, now: Date = new Date()): Promise<QueryStats> {
    const range = [from.toISOString(), to.toISOString()];
    const where = 'occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz';
    const [summary] = await this.db.query<{
      total: number; users: number; avg: number | null; p95: number | null; p99: number | null; ok: number;
    }>(
      `SELECT count(*)::int AS total, count(DISTINCT user_id)::int AS users, avg(latency_ms)::float8 AS avg,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p95,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p99,
              count(*) FILTER (WHERE success)::int AS ok
         FROM query_events WHERE ${where}`,
      range,
    );
    const groupCount = async (column: 'platform' | 'tier' | 'tool') => {
      const rows = await this.db.query<{ k: string; n: number }>(
        `SELECT ${column} AS k, count(*)::int AS n FROM query_events WHERE ${where} GROUP BY ${column} ORDER BY n DESC, k`,
        range,
      );
      return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
    };
    const hours = await this.db.query<{ h: number; n: number }>(
      `SELECT extract(hour FROM occurred_at AT TIME ZONE 'UTC')::int AS h, count(*)::int AS n
         FROM query_events WHERE ${where} GROUP BY 1`,
      range,
    );
    const byHour = Array.from({ length: 24 }, () => 0);
    for (const r of hours) byHour[Number(r.h)] = Number(r.n);
    const top = await this.db.query<{ q: string; n: number }>(
      `SELECT min(question) AS q, count(*)::int AS n FROM query_events
        WHERE ${where} AND question IS NOT NULL AND tool = 'ask_twin'
        GROUP BY lower(btrim(question)) ORDER BY n DESC, q LIMIT 10`,
      range,
    );
    const since = new Date(now.getTime() - TOPIC_WINDOW_DAYS * 86_400_000).toISOString();
    const recent = await this.db.query<{ question: string }>(
      `SELECT question FROM query_events WHERE occurred_at >= $1::timestamptz AND question IS NOT NULL
        ORDER BY occurred_at DESC LIMIT ${TOPIC_SAMPLE}`,
      [since],
    );
    const total = Number(summary.total);
    return {
      from: range[0],
      to: range[1],
      totalQueries: total,
      uniqueUsers: Number(summary.users),
      averageLatencyMs: round(summary.avg),
      p95LatencyMs: round(summary.p95),
      p99LatencyMs: round(summary.p99),
      successRate: total === 0 ? null : Math.round((Number(summary.ok) / total) * 10_000) / 10_000,
      byPlatform: await groupCount('platform'),
      byUserTier: await groupCount('tier'),
      byTool: await groupCount('tool'),
      byHour,
      topQuestions: top.map((r) => ({ question: r.q, count: Number(r.n) })),
      popularTopics: { windowDays: TOPIC_WINDOW_DAYS, topics: popularTopics(recent.map((r) => r.question)) },
    };
  }
}
