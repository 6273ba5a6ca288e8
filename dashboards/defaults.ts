// Shared defaults for every panel and dashboard: the Prometheus datasource variable, query and panel styles.
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** Name of the datasource template variable; panels never name a datasource uid, so any Prometheus works. */
export const DATASOURCE_VARIABLE = 'datasource';

export const PROMETHEUS: common.DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };

/** Grafana's rate window: at least four scrape intervals, so `rate()` never sees a single sample. */
export const RATE_INTERVAL = '$__rate_interval';

/** Multiplier of the budget-neutral burn rate (1× spends the budget exactly over the SLO window). */
export const BURN_RATE_UNIT = 'suffix:×';

/** A range query against the dashboard's Prometheus; refIds are explicit so overrides can name them. */
export function promQuery(refId: string, expr: string, legend?: string): prometheus.DataqueryBuilder {
  const query = new prometheus.DataqueryBuilder().refId(refId).datasource(PROMETHEUS).expr(expr).range();
  return legend === undefined ? query : query.legendFormat(legend);
}

/** An instant query, for stats and tables that show one value per series. */
export function promInstantQuery(refId: string, expr: string, legend?: string): prometheus.DataqueryBuilder {
  const query = new prometheus.DataqueryBuilder().refId(refId).datasource(PROMETHEUS).expr(expr).instant();
  return legend === undefined ? query : query.legendFormat(legend);
}

export interface Step {
  /** Lower bound of the step; `null` is the base colour below every bound. */
  from: number | null;
  color: 'green' | 'yellow' | 'orange' | 'red' | 'blue' | 'text';
}

export function thresholds(steps: readonly Step[]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(steps.map((s) => ({ value: s.from, color: s.color })));
}

export function defaultTimeseries(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .datasource(PROMETHEUS)
    .height(8)
    .span(12)
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .drawStyle(common.GraphDrawStyle.Line)
    .lineInterpolation(common.LineInterpolation.Linear)
    .spanNulls(false)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .placement(common.LegendPlacement.Bottom)
        .displayMode(common.LegendDisplayMode.List),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Off));
}

/** A timeseries that draws its thresholds as dashed lines: the line is the value that matters (a limit, an alert). */
export function timeseriesWithLimit(steps: readonly Step[]): timeseries.PanelBuilder {
  return defaultTimeseries()
    .thresholds(thresholds(steps))
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
}

export function defaultStat(): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .datasource(PROMETHEUS)
    .height(8)
    .span(6)
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Background)
    .textMode(common.BigValueTextMode.Value)
    .justifyMode(common.BigValueJustifyMode.Auto)
    .orientation(common.VizOrientation.Auto)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

/** A dashed override for a reference series (an objective, an alert threshold) drawn beside the measured one. */
export function referenceLine(): dashboard.DynamicConfigValue[] {
  return [
    { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
    { id: 'custom.fillOpacity', value: 0 },
    { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
  ];
}

export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder(DATASOURCE_VARIABLE).label('Data source').type('prometheus');
}

/**
 * A variable listing the values of `label` on `selector`. With `allMatchesMissing`, "All" is `.*`, which also matches
 * series without the label (a local Prometheus has no `namespace`); otherwise "All" is the listed values only.
 */
export function labelVariable(name: string, label: string, selector: string, allMatchesMissing: boolean): dashboard.QueryVariableBuilder {
  const query = `label_values(${selector}, ${label})`;
  const variable = new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(PROMETHEUS)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true);
  return allMatchesMissing ? variable.allValue('.*') : variable;
}

/** The settings every dashboard shares: browser time, shared crosshair, 30s refresh, not editable (it is generated). */
export function defaultDashboard(uid: string, title: string, tags: readonly string[]): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .tags([...tags])
    .readonly()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .withVariable(datasourceVariable());
}

/** Links to every other dashboard sharing the tag, so operators move between overview, SLOs and analytics. */
export function relatedDashboardsLink(tag: string): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder('Related dashboards')
    .type(dashboard.DashboardLinkType.Dashboards)
    .tags([tag])
    .asDropdown(true)
    .includeVars(true)
    .keepTime(true)
    .targetBlank(false)
    .icon('external link')
    .tooltip('')
    .url('');
}
