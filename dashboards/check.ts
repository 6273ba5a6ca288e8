// Checks a rendered dashboard's queries: each parses as PromQL and reads only series somebody produces.
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { findSeries, PROMETHEUS_BUILTIN_METRICS } from '../app/telemetry/catalog';
import { parseExpr } from '../slo/promql';
import { isRecordedSeries } from '../slo/rules/names';

export interface DashboardQuery {
  /** Panel title, or `variable <name>` for a template variable's query. */
  where: string;
  expr: string;
}

export interface QueryProblem extends DashboardQuery {
  message: string;
}

/** Who produces a series: the app (its catalog), Prometheus itself, or the generated recording rules. */
export type Producer = 'app' | 'prometheus' | 'rules';

export function producerOf(series: string): Producer | undefined {
  if (findSeries(series)) return 'app';
  if ((PROMETHEUS_BUILTIN_METRICS as readonly string[]).includes(series)) return 'prometheus';
  if (isRecordedSeries(series)) return 'rules';
  return undefined;
}

/** Values Grafana substitutes before the query reaches Prometheus; durations are any valid one, selections match all. */
const GRAFANA_DURATIONS: Readonly<Record<string, string>> = { __rate_interval: '5m', __interval: '1m', __range: '6h' };

/** The PromQL Prometheus receives for a Grafana query, with `$var`, `${var}` and `[[var]]` of known variables substituted. */
export function interpolate(expr: string, variables: readonly string[]): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)|\[\[(\w+)\]\]/g, (whole, braced?: string, bare?: string, old?: string) => {
    const name = braced ?? bare ?? old ?? '';
    if (name in GRAFANA_DURATIONS) return GRAFANA_DURATIONS[name];
    return variables.includes(name) ? '.*' : whole;
  });
}

function panelsOf(d: dashboard.Dashboard): dashboard.Panel[] {
  return (d.panels ?? []).flatMap((p) => ('panels' in p ? p.panels : [p]));
}

function exprOf(target: unknown): string | undefined {
  if (typeof target !== 'object' || target === null || !('expr' in target)) return undefined;
  return typeof target.expr === 'string' ? target.expr : undefined;
}

/** Every PromQL query of a dashboard: panel targets, and the series selector inside `label_values(...)` variables. */
export function dashboardQueries(d: dashboard.Dashboard): DashboardQuery[] {
  const queries: DashboardQuery[] = [];
  for (const variable of d.templating?.list ?? []) {
    if (variable.type !== 'query' || typeof variable.query !== 'string') continue;
    const labelValues = /^label_values\((.+),\s*\w+\)$/.exec(variable.query.trim());
    queries.push({ where: `variable ${variable.name}`, expr: labelValues ? labelValues[1] : variable.query });
  }
  for (const panel of panelsOf(d)) {
    for (const target of panel.targets ?? []) {
      const expr = exprOf(target);
      if (expr !== undefined) queries.push({ where: panel.title ?? `panel ${panel.id}`, expr });
    }
  }
  return queries;
}

/** Problems with a dashboard's queries; empty when every query parses and reads only produced series. */
export function checkDashboardQueries(d: dashboard.Dashboard, produced: (series: string) => boolean = (s) => producerOf(s) !== undefined): QueryProblem[] {
  const variables = (d.templating?.list ?? []).map((v) => v.name);
  const problems: QueryProblem[] = [];
  for (const query of dashboardQueries(d)) {
    const promql = interpolate(query.expr, variables);
    const parsed = parseExpr(promql);
    if (!parsed.ok) {
      problems.push({ ...query, message: `PromQL syntax error at offset ${parsed.offset}: ${parsed.message}` });
      continue;
    }
    // `${1}` is a label_replace group reference, which Grafana leaves alone; any other `$name` left is undefined.
    for (const [, name] of promql.matchAll(/\$\{?(\w+)/g)) {
      if (!/^\d+$/.test(name)) problems.push({ ...query, message: `uses $${name}, which is not a variable of this dashboard` });
    }
    for (const metric of parsed.value.metrics) {
      if (!produced(metric)) {
        problems.push({ ...query, message: `reads \`${metric}\`, which neither the app, Prometheus nor the generated rules produce` });
      }
    }
  }
  return problems;
}
