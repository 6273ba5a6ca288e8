// The rendered JSON is a Grafana dashboard model: tsc checks each rendered literal against @grafana/schema's Dashboard.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Dashboard } from '@grafana/schema';
import type { GrafanaJson } from './grafanaJson';
import { renderedModules } from './renderedModules';
import { dashboard as business } from './rendered/digital-twin-mcp-business';
import { dashboard as overview } from './rendered/digital-twin-mcp-overview';
import { dashboard as slos } from './rendered/digital-twin-mcp-slos';

// The compile-time check (`npx tsc --noEmit`): each exact rendered JSON literal is a Dashboard.
export const checked: ReadonlyArray<GrafanaJson<Dashboard>> = [overview, business, slos];

// Controls proving the check is not vacuous: each of these mistakes must be a type error.
// @ts-expect-error graphTooltip is a number (cursor sync mode), not a string
export const wrongType: GrafanaJson<Dashboard> = { ...overview, graphTooltip: 'shared' };
// @ts-expect-error a panel's gridPos needs h, w, x and y
export const incompleteGrid: GrafanaJson<Dashboard> = { ...overview, panels: [{ ...overview.panels[1], gridPos: { x: 0, y: 0 } }] };
export const badThresholds: GrafanaJson<Dashboard> = {
  ...overview,
  panels: [
    {
      ...overview.panels[1],
      fieldConfig: {
        ...overview.panels[1].fieldConfig,
        // @ts-expect-error thresholds mode is `absolute` or `percentage`
        defaults: { ...overview.panels[1].fieldConfig.defaults, thresholds: { mode: 'absolut', steps: [] } },
      },
    },
  ],
};

describe('rendered dashboard modules', () => {
  test.each(renderedModules().map((m) => [m.file, m.content] as const))(
    '%s is the current rendering (else run: node -r tsx/cjs test/dashboards/writeRendered.ts)',
    (file, content) => {
      const onDisk = readFileSync(path.join(__dirname, 'rendered', file), 'utf8');
      expect(onDisk).toBe(content);
    },
  );

  test('one module per dashboard, and the type check covers each of them', () => {
    const uids = checked.map((d) => d.uid).sort();
    expect(uids).toEqual(renderedModules().map((m) => m.file.replace(/\.ts$/, '')).sort());
  });
});
