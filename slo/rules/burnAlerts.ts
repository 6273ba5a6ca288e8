// Multi-window multi-burn-rate alerts: one ErrorBudgetBurn alert per SLO and window pair.
import { errorBudgetSeconds, humanDuration, parseDuration } from '../duration';
import type { Slo, Spec } from '../schema';
import type { StackConfig } from '../stack';
import { annotate, type AlertingRule } from './annotate';
import { BURN_ALERT, recorded } from './names';
import { sloLabels, sloSelector } from './recording';
import { burnWindows } from './windows';

export function burnAlerts(spec: Spec, slo: Slo, stack: StackConfig): AlertingRule[] {
  const sel = sloSelector(spec, slo);
  const windowSeconds = parseDuration(slo.window);
  const budgetText = humanDuration(errorBudgetSeconds(slo.objective, windowSeconds));
  return burnWindows(slo).map((w) => {
    const longSeconds = parseDuration(w.longWindow);
    const exhaustion = humanDuration(windowSeconds / w.factor);
    const expr = [
      `${recorded.burnRate(w.longWindow)}${sel} > ${w.factor}`,
      `and on(service, slo)`,
      `${recorded.burnRate(w.shortWindow)}${sel} > ${w.factor}`,
      // Guard: a handful of failed requests in a quiet hour is not an incident.
      `and on(service, slo)`,
      `${recorded.totalRate(w.longWindow)}${sel} * ${longSeconds} >= ${slo.alerting.minEvents}`,
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
