// What the domain code reports to the outside (metrics, error counts): a narrow seam the telemetry layer implements.
// Domain modules depend on this interface only, so they run and test without prom-client.

import type { CACHE_LAYERS, ERROR_SEVERITIES, ERROR_TYPES, MCP_TOOLS, OUTCOMES, PLATFORMS, USER_TIERS } from './telemetry/catalog';

export type Platform = (typeof PLATFORMS)[number];
export type UserTierLabel = (typeof USER_TIERS)[number];
export type CacheLayer = (typeof CACHE_LAYERS)[number];
export type ErrorType = (typeof ERROR_TYPES)[number];
export type ErrorSeverity = (typeof ERROR_SEVERITIES)[number];
export type ToolLabel = (typeof MCP_TOOLS)[number];
export type Outcome = (typeof OUTCOMES)[number];

/** A snapshot of the database connection pool, read on demand (at scrape time). */
export interface PoolStats {
  active: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface AppObserver {
  cacheHit(layer: CacheLayer): void;
  cacheMiss(): void;
  queryExecuted(platform: Platform, tier: UserTierLabel): void;
  vectorQuery(seconds: number): void;
  llmGeneration(seconds: number): void;
  profileUpdated(): void;
  apiKeyCreated(): void;
  error(type: ErrorType, severity: ErrorSeverity): void;
  toolCall(tool: ToolLabel, outcome: Outcome): void;
  /** Called once when the store opens; the implementation reads the pool whenever it needs the figures. */
  watchPool(read: () => PoolStats): void;
}

export const silentObserver: AppObserver = {
  cacheHit() {},
  cacheMiss() {},
  queryExecuted() {},
  vectorQuery() {},
  llmGeneration() {},
  profileUpdated() {},
  apiKeyCreated() {},
  error() {},
  toolCall() {},
  watchPool() {},
};
