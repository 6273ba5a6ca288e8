// Where each SLO stands, read from the recorded series in Prometheus: SLI over its window, error budget left,
// burn rate over every alert window, and the alerts firing for it.
import { errorBudgetSeconds, parseDuration } from '../duration';
import { BURN_ALERT, recorded } from '../rules/names';
import { sloSelector } from '../rules/recording';
import { burnWindows } from '../rules/windows';
import type { Slo, Spec } from '../schema';
import type { PrometheusApi } from './prometheusApi';

export interface BurnRate {
  severity: string;
  longWindow: string;
  shortWindow: string;
  factor: number;
  long: number | null;
  short: number | null;
}

export interface FiringAlert {
  alertname: string;
  severity: string;
  labels: Record<string, string>;
}

export interface SloStatus {
  service: string;
  slo: string;
  objective: number;
  window: string;
  /** Good events over all events across the window, from 0 to 1; null without traffic. */
  sli: number | null;
  /**
   * `recorded`: the window's recorded ratio. `partial`: that series is still empty (long windows are averaged
   * from hourly tiles, recorded from the first full hour on), so the 5m series is averaged over the history there is.
   */
  sliSource: 'recorded' | 'partial' | 'none';
  /** Share of the error budget left (1 untouched, below 0 overspent); null without traffic. */
  budgetRemaining: number | null;
  budgetRemainingSeconds: number | null;
  budgetSeconds: number;
  burnRates: BurnRate[];
  firing: FiringAlert[];
}

const first = (samples: Array<{ value: number }>): number | null => {
  const v = samples[0]?.value;
  return v === undefined || Number.isNaN(v) ? null : v;
};

async function statusOf(spec: Spec, slo: Slo, prometheus: PrometheusApi): Promise<SloStatus> {
  const sel = sloSelector(spec, slo);
  const windowSeconds = parseDuration(slo.window);
  const budget = 1 - slo.objective / 100;
  const budgetSeconds = errorBudgetSeconds(slo.objective, windowSeconds);

  let errorRatio = first(await prometheus.query(`${recorded.errorRatio(slo.window)}${sel}`));
  let sliSource: SloStatus['sliSource'] = 'recorded';
  if (errorRatio === null) {
    const avg = (series: string) => `avg_over_time(${series}${sel}[${slo.window}])`;
    errorRatio = first(await prometheus.query(`${avg(recorded.errorsRate('5m'))} / (${avg(recorded.totalRate('5m'))} > 0)`));
    sliSource = errorRatio === null ? 'none' : 'partial';
  }
  const burnRates: BurnRate[] = [];
  for (const w of burnWindows(slo)) {
    const [long, short] = await Promise.all([
      prometheus.query(`${recorded.burnRate(w.longWindow)}${sel}`),
      prometheus.query(`${recorded.burnRate(w.shortWindow)}${sel}`),
    ]);
    burnRates.push({ severity: w.severity, longWindow: w.longWindow, shortWindow: w.shortWindow, factor: w.factor, long: first(long), short: first(short) });
  }
  const alerts = await prometheus.query(`ALERTS{alertstate="firing",service="${spec.service}",slo="${slo.name}"}`);
  const remaining = errorRatio === null ? null : 1 - errorRatio / budget;
  return {
    service: spec.service,
    slo: slo.name,
    objective: slo.objective,
    window: slo.window,
    sli: errorRatio === null ? null : 1 - errorRatio,
    sliSource,
    budgetRemaining: remaining,
    budgetRemainingSeconds: remaining === null ? null : remaining * budgetSeconds,
    budgetSeconds,
    burnRates,
    firing: alerts.map((a) => ({ alertname: a.labels.alertname ?? BURN_ALERT, severity: a.labels.severity ?? '', labels: a.labels })),
  };
}

export interface StatusReport {
  prometheus: string;
  at: string;
  slos: SloStatus[];
  /** Firing alerts of the specs' services that belong to no SLO (threshold alerts). */
  otherAlerts: FiringAlert[];
}

export async function collectStatus(specs: readonly Spec[], prometheus: PrometheusApi, now = new Date()): Promise<StatusReport> {
  const slos: SloStatus[] = [];
  const otherAlerts: FiringAlert[] = [];
  for (const spec of specs) {
    for (const slo of spec.slos) slos.push(await statusOf(spec, slo, prometheus));
    for (const a of await prometheus.query(`ALERTS{alertstate="firing",service="${spec.service}",slo=""}`)) {
      otherAlerts.push({ alertname: a.labels.alertname ?? '', severity: a.labels.severity ?? '', labels: a.labels });
    }
  }
  return { prometheus: prometheus.url, at: now.toISOString(), slos, otherAlerts };
}
