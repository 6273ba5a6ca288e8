// Panel ids: stable numbers in reading order, so links such as `?viewPanel=7` survive re-rendering.
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

/** Numbers every panel (rows and panels inside collapsed rows included) from 1 in the order they appear. */
export function numberPanels(built: dashboard.Dashboard): dashboard.Dashboard {
  let next = 1;
  for (const panel of built.panels ?? []) {
    panel.id = next++;
    if ('panels' in panel) {
      for (const inner of panel.panels) inner.id = next++;
    }
  }
  return built;
}
