// Panels of one SLO's row, all read from the series the generated recording rules produce (slo/rules/names.ts).
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { formatDuration, humanDuration, parseDuration } from '../../slo/duration';
import { BURN_ALERT, recorded } from '../../slo/rules/names';
import { burnWindows } from '../../slo/rules/windows';
import type { Slo } from '../../slo/schema';
import {
  BURN_RATE_UNIT, defaultStat, defaultTimeseries, PROMETHEUS, promInstantQuery, promQuery, referenceLine, thresholds, timeseriesWithLimit,
  type Step,
} from '../defaults';

/** What every panel of an SLO's row needs: the SLO, its service and the runbook section of its burn alert. */
export interface SloContext {
  service: string;
  slo: Slo;
  runbookUrl: string;
}

/** The window the "current" burn rate is read over: short enough to react, long enough not to flap. */
const CURRENT_WINDOW = '1h';

function matchers(ctx: SloContext): string {
  return `service="${ctx.service}", slo="${ctx.slo.name}"`;
}

function series(name: string, ctx: SloContext): string {
  return `${name}{${matchers(ctx)}}`;
}

/** The SLO window as the rules name it (`4w` is recorded as `28d`). */
function sloWindow(slo: Slo): string {
  return formatDuration(parseDuration(slo.window));
}

function runbookLink(ctx: SloContext): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder(`Runbook: ${BURN_ALERT} ${ctx.slo.name}`)
    .type(dashboard.DashboardLinkType.Link)
    .url(ctx.runbookUrl)
    .targetBlank(true)
    .icon('doc')
    .tooltip('What to do when this SLO burns its error budget')
    .tags([])
    .asDropdown(false)
    .includeVars(false)
    .keepTime(false);
}

export function sliAgainstObjective(ctx: SloContext): timeseries.PanelBuilder {
  const window = sloWindow(ctx.slo);
  return defaultTimeseries()
    .title(`${ctx.slo.name}: SLI against objective`)
    .description(
      `Share of good events over the SLO window (${window}) and over the last ${CURRENT_WINDOW}, against the objective ` +
        `(${ctx.slo.objective}%, dashed). ${ctx.slo.description ? `${ctx.slo.description.trim()} ` : ''}` +
        `When the ${window} line nears the objective the budget is almost spent: freeze risky changes and follow the runbook.`,
    )
    .unit(units.PercentUnit)
    .decimals(3)
    .links([runbookLink(ctx)])
    .withTarget(promQuery('A', `1 - ${series(recorded.errorRatio(window), ctx)}`, `SLI over ${window}`))
    .withTarget(promQuery('B', `1 - ${series(recorded.errorRatio(CURRENT_WINDOW), ctx)}`, `SLI over ${CURRENT_WINDOW}`))
    .withTarget(promQuery('C', series(recorded.objective, ctx), 'objective'))
    .overrideByQuery('C', referenceLine());
}

export function errorBudgetRemainingStat(ctx: SloContext): stat.PanelBuilder {
  return defaultStat()
    .span(4)
    .title(`${ctx.slo.name}: error budget left`)
    .description(
      `Share of the ${sloWindow(ctx.slo)} error budget not yet spent (100% = untouched, below 0 = objective missed). ` +
        'Orange below 25%: slow down releases; red: the SLO is broken, follow the runbook.',
    )
    .unit(units.PercentUnit)
    .decimals(1)
    .links([runbookLink(ctx)])
    .thresholds(thresholds([{ from: null, color: 'red' }, { from: 0, color: 'orange' }, { from: 0.25, color: 'yellow' }, { from: 0.5, color: 'green' }]))
    .withTarget(promQuery('A', series(recorded.errorBudgetRemaining, ctx), 'budget left'));
}

export function timeUntilBudgetExhausted(ctx: SloContext): stat.PanelBuilder {
  const windowSeconds = parseDuration(ctx.slo.window);
  const left = `clamp_min(${series(recorded.errorBudgetRemaining, ctx)}, 0)`;
  const perSecond = `${series(recorded.windowSeconds, ctx)} / on (service, slo) ${series(recorded.burnRate(CURRENT_WINDOW), ctx)}`;
  return defaultStat()
    .span(4)
    .title(`${ctx.slo.name}: budget exhausted in`)
    .description(
      `Time until the error budget is gone if the ${CURRENT_WINDOW} burn rate holds: budget left × window ÷ burn rate, ` +
        `capped at the SLO window (${humanDuration(windowSeconds)}; at or under 1× burn the budget outlasts it). ` +
        'Red under a day: this is a page-worthy burn, follow the runbook now.',
    )
    .unit(units.DurationSeconds)
    .links([runbookLink(ctx)])
    .thresholds(thresholds([{ from: null, color: 'red' }, { from: 86400, color: 'orange' }, { from: 7 * 86400, color: 'green' }]))
    .withTarget(promQuery('A', `clamp_max(${left} * on (service, slo) ${perSecond}, ${windowSeconds})`, 'exhausted in'));
}

export function burnAlertsFiring(ctx: SloContext): stat.PanelBuilder {
  return defaultStat()
    .span(4)
    .title(`${ctx.slo.name}: burn alerts firing`)
    .description(
      `${BURN_ALERT} alerts of this SLO firing now, one per window pair. Any firing alert has already notified on-call; ` +
        'open the runbook link of this panel.',
    )
    .unit(units.Short)
    .decimals(0)
    .graphMode(common.BigValueGraphMode.None)
    .links([runbookLink(ctx)])
    .thresholds(thresholds([{ from: null, color: 'green' }, { from: 1, color: 'red' }]))
    .withTarget(promInstantQuery('A', `count(ALERTS{alertname="${BURN_ALERT}", alertstate="firing", ${matchers(ctx)}}) or vector(0)`));
}

const SEVERITY_COLOR: Record<'critical' | 'warning', Step['color']> = { critical: 'red', warning: 'orange' };

export function burnRateByWindow(ctx: SloContext): timeseries.PanelBuilder {
  const windows = burnWindows(ctx.slo);
  const steps: Step[] = [
    { from: null, color: 'green' },
    ...[...windows].sort((a, b) => a.factor - b.factor).map((w) => ({ from: w.factor, color: SEVERITY_COLOR[w.severity] })),
  ];
  const table = windows.map((w) => `${w.longWindow} & ${w.shortWindow} above ${w.factor}× (${w.severity})`).join('; ');
  let panel = timeseriesWithLimit(steps)
    .title(`${ctx.slo.name}: burn rate by alert window`)
    .description(
      'How fast the error budget burns over each alert window: 1× spends exactly the budget over the SLO window. ' +
        `Dashed lines are the alert thresholds; an alert fires when both its long and short window exceed it: ${table || 'no burn alerts enabled'}. ` +
        'A long window above its line while the short one has dropped means the incident is over but the budget is spent.',
    )
    .unit(BURN_RATE_UNIT)
    .min(0)
    .links([runbookLink(ctx)]);
  const maxFactor = Math.max(1, ...windows.map((w) => w.factor));
  panel = panel.axisSoftMax(maxFactor * 1.1);
  const longWindows = [...new Set([CURRENT_WINDOW, ...windows.map((w) => w.longWindow)])];
  longWindows.forEach((window, i) => {
    panel = panel.withTarget(promQuery(String.fromCharCode(65 + i), series(recorded.burnRate(window), ctx), `burn rate ${window}`));
  });
  return panel;
}

export function burnAlertHistory(ctx: SloContext): statetimeline.PanelBuilder {
  const alerts = (state: string) => `ALERTS{alertname="${BURN_ALERT}", alertstate="${state}", ${matchers(ctx)}}`;
  const mappings: dashboard.ValueMapping[] = [
    {
      type: dashboard.MappingType.ValueToText,
      options: { '1': { text: 'pending', color: 'yellow', index: 0 }, '2': { text: 'firing', color: 'red', index: 1 } },
    },
  ];
  return new statetimeline.PanelBuilder()
    .datasource(PROMETHEUS)
    .height(8)
    .span(12)
    .title(`${ctx.slo.name}: burn alert history`)
    .description(
      `When each ${BURN_ALERT} alert of this SLO was pending (condition met, waiting out its \`for\`) or firing, by long window and severity. ` +
        'A page that fires and resolves repeatedly means the short window flaps: read the runbook before silencing.',
    )
    .unit(units.Short)
    .mappings(mappings)
    .thresholds(thresholds([{ from: null, color: 'green' }, { from: 1, color: 'yellow' }, { from: 2, color: 'red' }]))
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true)
    .links([runbookLink(ctx)])
    .withTarget(
      promQuery('A', `max by (long_window, severity) ((${alerts('firing')} * 2) or ${alerts('pending')})`, '{{long_window}} {{severity}}'),
    );
}
