// Series selectors for the app's own metrics, scoped by the dashboard's namespace and job variables.

/** Matchers every app query carries: the pods of the chosen namespaces and jobs (All = `.*`). */
export const APP_SCOPE = 'namespace=~"$namespace", job=~"$job"';

/** `metric{namespace=~"$namespace", job=~"$job", ...extra}` */
export function appSeries(metric: string, ...extra: string[]): string {
  return `${metric}{${[APP_SCOPE, ...extra].join(', ')}}`;
}

/** `rate(<series>[$__rate_interval])` */
export function appRate(metric: string, ...extra: string[]): string {
  return `rate(${appSeries(metric, ...extra)}[$__rate_interval])`;
}

/** Quantile of a histogram across every pod: buckets are summed by `le` (and `by`) before the quantile. */
export function appQuantile(q: number, histogram: string, by: readonly string[] = []): string {
  return `histogram_quantile(${q}, sum by (${['le', ...by].join(', ')}) (${appRate(`${histogram}_bucket`)}))`;
}
