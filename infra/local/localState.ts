// What a running local stack publishes in its data folder (local.json): URLs and pids, for `slo local inject`,
// `slo status` and tests. Kept apart from the runner so readers do not load it.
import { readFileSync } from 'node:fs';
import { layoutOf } from './localConfig';

export interface LocalUrls {
  app: string;
  mcp: string;
  prometheus: string;
  alerts: string;
  alertmanager: string;
  pagerduty: string;
  smtp: string;
}

/** What `slo local inject`, `slo status` and tests read from the data folder while the stack runs. */
export interface LocalState {
  pid: number;
  urls: LocalUrls;
  pids: Record<string, number | undefined>;
  sinksLog: string;
  logsDir: string;
}

export function readLocalState(dataDir: string): LocalState | undefined {
  try {
    return JSON.parse(readFileSync(layoutOf(dataDir).stateFile, 'utf8')) as LocalState;
  } catch {
    return undefined;
  }
}
