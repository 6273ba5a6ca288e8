// L1 LRU with TTL, L2 on the real Redis, and a down Redis degrading to L1 only without failing a call.

import { randomBytes } from 'node:crypto';
import { LayeredCache } from '../../../app/cache/layered-cache';
import { LruCache } from '../../../app/cache/lru';
import { RedisCache } from '../../../app/cache/redis-cache';
import { silentLogger } from '../../../app/logger';
import { recordingObserver } from '../support/recording-observer';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

test('LRU evicts the least recently used entry and expires entries after the TTL', () => {
  let now = 0;
  const lru = new LruCache<number>(2, 1000, () => now);
  lru.set('a', 1);
  lru.set('b', 2);
  expect(lru.get('a')).toBe(1); // a is now most recent
  lru.set('c', 3);
  expect(lru.get('b')).toBeUndefined();
  expect(lru.get('a')).toBe(1);
  now = 1000;
  expect(lru.get('a')).toBeUndefined();
  expect(lru.size).toBe(1);
});

async function waitReady(cache: RedisCache): Promise<void> {
  for (let i = 0; i < 100 && !cache.ready; i++) await new Promise((r) => setTimeout(r, 20));
}

test('L2 on the real Redis: a value set by one instance is a hit for another; invalidate clears both layers', async () => {
  const prefix = `dt-test-cache:${randomBytes(4).toString('hex')}:`;
  const observer = recordingObserver();
  const r1 = new RedisCache({ url: REDIS_URL, prefix, ttlSeconds: 60 });
  const r2 = new RedisCache({ url: REDIS_URL, prefix, ttlSeconds: 60 });
  await Promise.all([waitReady(r1), waitReady(r2)]);
  const a = new LayeredCache<{ v: number }>({ maxEntries: 10, ttlSeconds: 60 }, r1, observer, silentLogger);
  const b = new LayeredCache<{ v: number }>({ maxEntries: 10, ttlSeconds: 60 }, r2, observer, silentLogger);
  try {
    await a.set('k', { v: 42 });
    expect(await b.get('k')).toEqual({ v: 42 });
    expect(observer.count('cacheHit:L2')).toBe(1);
    expect(await b.get('k')).toEqual({ v: 42 });
    expect(observer.count('cacheHit:L1')).toBe(1);
    await a.invalidate();
    expect(await a.get('k')).toBeUndefined();
    expect(observer.count('cacheMiss')).toBe(1);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a down Redis means L1 only: get and set succeed and count cache errors instead of failing', async () => {
  const observer = recordingObserver();
  const warnings: string[] = [];
  const logger = { ...silentLogger, warn: (m: string) => warnings.push(m) };
  // Port 9 (discard) is closed on loopback: connections are refused at once.
  const l2 = new RedisCache({ url: 'redis://127.0.0.1:9', prefix: 'x:', ttlSeconds: 60 });
  const cache = new LayeredCache<string>({ maxEntries: 10, ttlSeconds: 60 }, l2, observer, logger);
  try {
    await cache.set('k', 'v');
    expect(await cache.get('k')).toBe('v');
    expect(await cache.get('missing')).toBeUndefined();
    await cache.invalidate();
    expect(await cache.get('k')).toBeUndefined();
    expect(observer.count('error:cache:low')).toBe(1);
    expect(warnings).toEqual(['Redis cache unavailable; serving from the in-process cache only']);
  } finally {
    await cache.close();
  }
});
