// Multi-window multi-burn-rate alerts: one ErrorBudgetBurn alert per SLO and window pair.
import { errorBudgetSeconds, humanDuration, parseDuration } from '../duration';
import type { Slo, Spec } from '../schema';
import type { StackConfig } from '../stack';
import { annotate, type AlertingRule } from './annotate';
import { BURN_ALERT, recorded } from './names';
import { sloLabels, sloSelector } from './recording';
import { burnWindows, tileRange } from './windows';

/**
 * Events seen in a window, for the low-traffic guard. Averages only cover the samples present, so a
 * service younger than the window would look busier than it is; summing hourly tiles counts only the
 * hours that had traffic. Until a Prometheus has crossed its first full clock hour there is no tile
 * yet, and the last hour's count stands in, so a fresh Prometheus can still page.
 */
function eventsIn(window: string, sel: string): string {
  const seconds = parseDuration(window);
  const lastHour = `${recorded.totalRate('1h')}${sel} * 3600`;
  if (seconds <= 3600) return `${recorded.totalRate(window)}${sel} * ${seconds}`;
  return `(sum_over_time(${recorded.totalRate('1h')}${sel}[${tileRange(window)}]) * 3600 or ${lastHour})`;
}

export function burnAlerts(spec: Spec, slo: Slo, stack: StackConfig): AlertingRule[] {
  const sel = sloSelector(spec, slo);
  const windowSeconds = parseDuration(slo.window);
  const budgetText = humanDuration(errorBudgetSeconds(slo.objective, windowSeconds));
  return burnWindows(slo).map((w) => {
    const exhaustion = humanDuration(windowSeconds / w.factor);
    const expr = [
      `${recorded.burnRate(w.longWindow)}${sel} > ${w.factor}`,
      `and on(service, slo)`,
      `${recorded.burnRate(w.shortWindow)}${sel} > ${w.factor}`,
      // Guard: a handful of failed requests in a quiet hour is not an incident.
      `and on(service, slo)`,
      `${eventsIn(w.longWindow, sel)} >= ${slo.alerting.minEvents}`,
    ].join('\n');
    const rule: AlertingRule = {
      alert: BURN_ALERT,
      expr,
      for: w.for,
      labels: { ...sloLabels(spec, slo), severity: w.severity, long_window: w.longWindow, short_window: w.shortWindow },
      annotations: {
        summary: `${spec.service} ${slo.name}: error budget burning ${w.factor}x too fast over ${w.longWindow} (${w.tier})`,
        description:
          `${slo.name} (objective ${slo.objective}% over ${slo.window}) burns its error budget at ` +
          `{{ printf "%.1f" $value }}x over the last ${w.longWindow}, and above ${w.factor}x over ${w.shortWindow} too. ` +
          `At ${w.factor}x the whole budget (${budgetText}) is gone in ${exhaustion}; ` +
          `this tier fires once ${Math.round(w.budgetShare * 100)}% of it has been spent.`,
      },
    };
    return annotate(rule, { kind: 'burn', slo: slo.name }, spec, stack);
  });
}
