// L2: Redis through ioredis, tuned to fail fast: short timeouts, no offline queue, so a down Redis costs milliseconds.

import Redis from 'ioredis';

export interface RedisCacheOptions {
  url: string;
  prefix: string;
  ttlSeconds: number;
  commandTimeoutMs?: number;
}

export class RedisCache {
  private readonly redis: Redis;

  constructor(private readonly options: RedisCacheOptions) {
    this.redis = new Redis(options.url, {
      lazyConnect: false,
      connectTimeout: 1000,
      commandTimeout: options.commandTimeoutMs ?? 300,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Keep trying in the background, at most every 5 s, so the L2 comes back on its own.
      retryStrategy: (times) => Math.min(times * 200, 5000),
    });
    // Connection errors surface as failed commands; the emitter's own errors are expected while Redis is down.
    this.redis.on('error', () => {});
  }

  get ready(): boolean {
    return this.redis.status === 'ready';
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(this.options.prefix + key);
  }

  async set(key: string, value: string): Promise<void> {
    await this.redis.set(this.options.prefix + key, value, 'EX', this.options.ttlSeconds);
  }

  /** Deletes every key under the prefix; SCAN in batches so a large cache never blocks Redis. */
  async clear(): Promise<number> {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.options.prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await this.redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
