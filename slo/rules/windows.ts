// The multi-window multi-burn-rate table (Google SRE workbook, ch. 5), scaled to any SLO window.
import { formatDuration, parseDuration } from '../duration';
import type { Slo } from '../schema';
import { BASE_WINDOW } from './names';

export type Tier = 'page' | 'ticket';

export interface BurnWindow {
  tier: Tier;
  severity: 'critical' | 'warning';
  longWindow: string;
  shortWindow: string;
  /** Burn-rate factor the alert fires above, scaled to the SLO window. */
  factor: number;
  /** Share of the whole error budget spent when the long window burns at `factor`. */
  budgetShare: number;
  for: string;
}

/** The workbook's table for a 30-day window: factor = budgetShare * 30d / longWindow. */
const REFERENCE_WINDOW_SECONDS = 30 * 86400;
const TABLE: ReadonlyArray<Omit<BurnWindow, 'factor'> & { referenceFactor: number }> = [
  { tier: 'page', severity: 'critical', longWindow: '1h', shortWindow: '5m', referenceFactor: 14.4, budgetShare: 0.02, for: '2m' },
  { tier: 'page', severity: 'critical', longWindow: '6h', shortWindow: '30m', referenceFactor: 6, budgetShare: 0.05, for: '15m' },
  { tier: 'ticket', severity: 'warning', longWindow: '1d', shortWindow: '2h', referenceFactor: 3, budgetShare: 0.1, for: '1h' },
  { tier: 'ticket', severity: 'warning', longWindow: '3d', shortWindow: '6h', referenceFactor: 1, budgetShare: 0.1, for: '3h' },
];

/** Rounds away binary noise (14.4 * 28/30 = 13.440000000000001) so rules read cleanly. */
export function tidy(x: number): number {
  return Number.parseFloat(x.toPrecision(10));
}

/**
 * The burn-rate windows for an SLO. Long and short windows stay those of the workbook; the factor is
 * scaled so each tier spends the same share of the budget whatever the SLO window
 * (a 28-day SLO pages at 13.44x over 1h rather than 14.4x).
 */
export function burnWindows(slo: Pick<Slo, 'window' | 'alerting'>): BurnWindow[] {
  const windowSeconds = parseDuration(slo.window);
  return TABLE.filter((w) => (w.tier === 'page' ? slo.alerting.page : slo.alerting.ticket)).map(
    ({ referenceFactor, ...w }) => ({
      ...w,
      factor: tidy((referenceFactor * windowSeconds) / REFERENCE_WINDOW_SECONDS),
    }),
  );
}

/** Every window table row, whatever the SLO enables: the windows a spec can imply. */
export function allBurnWindows(slo: Pick<Slo, 'window'>): BurnWindow[] {
  return burnWindows({ window: slo.window, alerting: { page: true, ticket: true, minEvents: 0 } });
}

/** Windows at or under this length are averaged from the 5m series directly; longer ones from hourly tiles. */
export const TILE_THRESHOLD_SECONDS = 6 * 3600;

/**
 * The subquery range that reads exactly `window / 1h` hourly tiles. Prometheus 2.x includes both ends of a
 * subquery range, so `[1d:1h]` evaluated exactly on the hour reads 25 tiles; a range 1ms shorter reads 24
 * in 2.x and 3.x alike (3.x already excludes the start).
 */
export function tileRange(window: string): string {
  const ms = parseDuration(window) * 1000 - 1;
  const d = Math.floor(ms / 86_400_000);
  const h = Math.floor((ms % 86_400_000) / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const rest = ms % 1000;
  return `${d ? `${d}d` : ''}${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}${rest}ms:1h`;
}

/** All windows an SLO records, shortest first: the base window, every alert window, and the SLO window. */
export function recordedWindows(slo: Pick<Slo, 'window' | 'alerting'>): string[] {
  const windows = new Set<string>([BASE_WINDOW, '1h']);
  for (const w of burnWindows(slo)) {
    windows.add(w.longWindow);
    windows.add(w.shortWindow);
  }
  windows.add(formatDuration(parseDuration(slo.window)));
  return [...windows].sort((a, b) => parseDuration(a) - parseDuration(b));
}
