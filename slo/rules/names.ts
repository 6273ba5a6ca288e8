// Names of every series the generated recording rules produce: the contract dashboards and `slo status` read.

/** Windows are written as Prometheus durations (`5m`, `1h`, `30d`); every SLO records its own window too. */
export const BASE_WINDOW = '5m';

export const recorded = {
  /** Events per second over the window, summed across pods: `slo:sli_total:rate1h`. */
  totalRate: (window: string) => `slo:sli_total:rate${window}`,
  /** Bad events per second over the window. */
  errorsRate: (window: string) => `slo:sli_errors:rate${window}`,
  /** Bad events over all events in the window (traffic-weighted). */
  errorRatio: (window: string) => `slo:sli_error:ratio_rate${window}`,
  /** Error ratio divided by the error budget (1 - objective): 1 spends the budget exactly over the SLO window. */
  burnRate: (window: string) => `slo:burn_rate:${window}`,
  /** Objective as a ratio, for example 0.999. */
  objective: 'slo:objective:ratio',
  /** Error budget as a ratio, 1 - objective. */
  errorBudget: 'slo:error_budget:ratio',
  /** Share of the error budget left over the SLO window (1 = untouched, below 0 = overspent). */
  errorBudgetRemaining: 'slo:error_budget_remaining:ratio',
  /** Length of the SLO window in seconds. */
  windowSeconds: 'slo:window:seconds',
} as const;

/** Labels identifying an SLO on every recorded series and burn-rate alert. */
export const SLO_LABELS = { service: 'service', slo: 'slo' } as const;

/** The one alert name every burn-rate alert carries. */
export const BURN_ALERT = 'ErrorBudgetBurn';

/** True when a series name is produced by the generated recording rules. */
export function isRecordedSeries(name: string): boolean {
  return /^slo:(sli_total|sli_errors|sli_error|burn_rate|objective|error_budget|error_budget_remaining|window):/.test(name);
}
