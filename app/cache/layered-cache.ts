// The answer cache: L1 first, then L2 (Redis) when configured; any Redis failure degrades to L1 only, never to an error.

import type { AppLogger } from '../logger';
import type { AppObserver } from '../observer';
import { LruCache } from './lru';
import type { RedisCache } from './redis-cache';

export class LayeredCache<V> {
  private readonly l1: LruCache<V>;
  private lastRedisWarning = 0;

  constructor(
    options: { maxEntries: number; ttlSeconds: number },
    private readonly l2: RedisCache | undefined,
    private readonly observer: AppObserver,
    private readonly logger: AppLogger,
  ) {
    this.l1 = new LruCache<V>(options.maxEntries, options.ttlSeconds * 1000);
  }

  async get(key: string): Promise<V | undefined> {
    const local = this.l1.get(key);
    if (local !== undefined) {
      this.observer.cacheHit('L1');
      return local;
    }
    if (this.l2?.ready) {
      try {
        const raw = await this.l2.get(key);
        if (raw !== null) {
          const value = JSON.parse(raw) as V;
          this.l1.set(key, value);
          this.observer.cacheHit('L2');
          return value;
        }
      } catch (err) {
        this.redisFailed('get', err);
      }
    }
    this.observer.cacheMiss();
    return undefined;
  }

  async set(key: string, value: V): Promise<void> {
    this.l1.set(key, value);
    if (!this.l2?.ready) return;
    try {
      await this.l2.set(key, JSON.stringify(value));
    } catch (err) {
      this.redisFailed('set', err);
    }
  }

  async invalidate(): Promise<void> {
    this.l1.clear();
    if (!this.l2) return;
    try {
      await this.l2.clear();
    } catch (err) {
      this.redisFailed('clear', err);
    }
  }

  async close(): Promise<void> {
    await this.l2?.close();
  }

  private redisFailed(operation: string, err: unknown): void {
    this.observer.error('cache', 'low');
    // One warning a minute at most: a Redis outage must not flood the logs.
    const now = Date.now();
    if (now - this.lastRedisWarning > 60_000) {
      this.lastRedisWarning = now;
      this.logger.warn('Redis cache unavailable; serving from the in-process cache only', { operation, error: (err as Error).message });
    }
  }
}
