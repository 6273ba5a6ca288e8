// Reading rendered dashboards in tests: their panels (inside rows too) and the expressions of their queries.
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

export type AnyPanel = dashboard.Panel | dashboard.RowPanel;

export function allPanels(d: dashboard.Dashboard): AnyPanel[] {
  return (d.panels ?? []).flatMap((p): AnyPanel[] => ('panels' in p ? [p, ...p.panels] : [p]));
}

export function contentPanels(d: dashboard.Dashboard): dashboard.Panel[] {
  return allPanels(d).filter((p): p is dashboard.Panel => !('panels' in p));
}

export function exprs(panel: dashboard.Panel): string[] {
  return (panel.targets ?? []).flatMap((t) => ('expr' in t && typeof t.expr === 'string' ? [t.expr] : []));
}
