// Wires the domain services from configuration: store, keys, cache, vector index, answer generator and the twin.

import { QueryAnalytics } from './analytics/query-analytics';
import { QueryEvents } from './analytics/query-events';
import { ApiKeys } from './auth/api-keys';
import { LayeredCache } from './cache/layered-cache';
import { RedisCache } from './cache/redis-cache';
import type { AppConfig } from './config';
import { silentLogger, type AppLogger } from './logger';
import { silentObserver, type AppObserver } from './observer';
import type { Db } from './store/db';
import { migrate } from './store/migrations';
import { openStore } from './store/open';
import { ExtractiveAnswerer, GroqAnswerer, type Answerer } from './twin/answer';
import { DigitalTwin, type TwinAnswer } from './twin/digital-twin';
import { HashedNgramEmbedder } from './twin/embedding';
import { GroqClient } from './twin/groq-client';
import { MemoryVectorIndex } from './twin/memory-index';
import { loadProfileDir } from './twin/profile';
import { ProfileIndex } from './twin/profile-index';
import { ProfileStore } from './twin/profile-store';
import { UpstashVectorIndex } from './twin/upstash-index';
import type { VectorIndex } from './twin/vector-index';

export interface Services {
  config: AppConfig;
  db: Db;
  keys: ApiKeys;
  profiles: ProfileStore;
  events: QueryEvents;
  analytics: QueryAnalytics;
  index: ProfileIndex;
  twin: DigitalTwin;
  cache: LayeredCache<TwinAnswer>;
  observer: AppObserver;
  logger: AppLogger;
  close(): Promise<void>;
}

export interface ServiceOptions {
  observer?: AppObserver;
  logger?: AppLogger;
  /** An already open store (tests share one PGlite per file); it is migrated but not closed by close(). */
  db?: Db;
  /** Redis key prefix, so deployments (or test runs) sharing a Redis never see each other's entries. */
  redisPrefix?: string;
  /** Groq backoff base in ms (tests shorten it). */
  groqBackoffMs?: number;
}

export async function openServices(config: AppConfig, options: ServiceOptions = {}): Promise<Services> {
  const observer = options.observer ?? silentObserver;
  const logger = options.logger ?? silentLogger;
  const ownsDb = !options.db;
  const db = options.db ?? (await openStore(config.database));
  if (!ownsDb) await migrate(db);
  observer.watchPool(() => db.poolStats());

  let cache: LayeredCache<TwinAnswer> | undefined;
  try {
    const keys = new ApiKeys(db);
    if (config.adminApiKey) await keys.ensureBootstrapAdmin(config.adminApiKey);

    const vectorIndex: VectorIndex =
      config.vector.kind === 'upstash' ? new UpstashVectorIndex({ url: config.vector.url, token: config.vector.token }) : new MemoryVectorIndex();
    const index = new ProfileIndex(new HashedNgramEmbedder(config.embeddingDimensions), vectorIndex);

    const answerer: Answerer = config.groq.apiKey
      ? new GroqAnswerer(new GroqClient({ ...config.groq, apiKey: config.groq.apiKey, backoffMs: options.groqBackoffMs }))
      : new ExtractiveAnswerer();

    const l2 = config.redisUrl
      ? new RedisCache({ url: config.redisUrl, prefix: options.redisPrefix ?? 'dt:answers:', ttlSeconds: config.cache.ttlSeconds })
      : undefined;
    cache = new LayeredCache<TwinAnswer>(config.cache, l2, observer, logger);

    const profiles = new ProfileStore(db);
    const events = new QueryEvents(db);
    const twin = new DigitalTwin({ index, profiles, answerer, cache, events, observer, logger });
    await twin.init(await loadProfileDir(config.profileDir));
    logger.info('Digital twin ready', {
      store: db.kind, vectorIndex: vectorIndex.kind, chunks: index.chunkCount(), answers: answerer.mode, l2Cache: Boolean(l2),
    });

    const openCache = cache;
    return {
      config, db, keys, profiles, events, analytics: new QueryAnalytics(db), index, twin, cache: openCache, observer, logger,
      async close() {
        await openCache.close();
        if (ownsDb) await db.close();
      },
    };
  } catch (err) {
    await cache?.close();
    if (ownsDb) await db.close().catch(() => {});
    throw err;
  }
}
