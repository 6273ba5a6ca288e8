// Test double for AppObserver that counts every report, so tests can assert what the domain code recorded.

import type { AppObserver, PoolStats } from '../../../app/observer';

export interface RecordingObserver extends AppObserver {
  counts: Map<string, number>;
  count(event: string): number;
  durations: { vector: number[]; llm: number[] };
  pool?: () => PoolStats;
}

export function recordingObserver(): RecordingObserver {
  const counts = new Map<string, number>();
  const bump = (event: string) => counts.set(event, (counts.get(event) ?? 0) + 1);
  const o: RecordingObserver = {
    counts,
    count: (event) => counts.get(event) ?? 0,
    durations: { vector: [], llm: [] },
    cacheHit: (layer) => bump(`cacheHit:${layer}`),
    cacheMiss: () => bump('cacheMiss'),
    queryExecuted: (platform, tier) => bump(`query:${platform}:${tier}`),
    vectorQuery: (s) => o.durations.vector.push(s),
    llmGeneration: (s) => o.durations.llm.push(s),
    profileUpdated: () => bump('profileUpdated'),
    apiKeyCreated: () => bump('apiKeyCreated'),
    error: (type, severity) => bump(`error:${type}:${severity}`),
    toolCall: (tool, outcome) => bump(`tool:${tool}:${outcome}`),
    watchPool: (read) => {
      o.pool = read;
    },
  };
  return o;
}
