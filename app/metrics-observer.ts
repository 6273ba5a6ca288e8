// Adapts the telemetry layer's Prometheus handles (app/telemetry/metrics.ts) to the AppObserver the domain code reports to.

import type { DomainMetrics, Metrics } from './telemetry/metrics';
import type { AppObserver } from './observer';

export function observerFromMetrics(metrics: DomainMetrics & Pick<Metrics, 'setPoolStatsSource'>): AppObserver {
  return {
    cacheHit: (layer) => metrics.recordCacheHit(layer),
    cacheMiss: () => metrics.recordCacheMiss(),
    queryExecuted: (platform, tier) => metrics.recordQuery(platform, tier),
    vectorQuery: (seconds) => metrics.observeVectorQuery(seconds),
    llmGeneration: (seconds) => metrics.observeLlmGeneration(seconds),
    profileUpdated: () => metrics.recordProfileUpdate(),
    apiKeyCreated: () => metrics.recordApiKeyCreated(),
    error: (type, severity) => metrics.recordError(type, severity),
    toolCall: (tool, outcome) => metrics.recordToolCall(tool, outcome),
    watchPool: (read) => metrics.setPoolStatsSource(read),
  };
}
