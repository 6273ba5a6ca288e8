// Snapshots of the rendered dashboard JSON, exactly as `slo render` writes it: a review sees every change to a panel.
import { buildDashboards } from '../../dashboards';
import { smallSpec, STACK } from './fixtures';

test.each(buildDashboards([smallSpec()], STACK).map((d) => [d.uid, d] as const))('%s', (_uid, d) => {
  expect(JSON.parse(JSON.stringify(d))).toMatchSnapshot();
});
