// Grafana dashboards composed from typed panel functions: the service overview, business analytics and one SLO dashboard per spec.
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { CATALOG_SERVICE } from '../app/telemetry/catalog';
import type { Spec } from '../slo/schema';
import type { StackConfig } from '../slo/stack';
import { businessAnalytics } from './business';
import { numberPanels } from './layout';
import { serviceOverview } from './overview';
import { sloDashboard } from './slos';

/** A dashboard as Grafana's JSON model (foundation SDK types), with the uid and title every rendered one carries. */
export type GrafanaDashboard = dashboard.Dashboard & { uid: string; title: string };

function finish(built: dashboard.Dashboard): GrafanaDashboard {
  const { uid, title } = built;
  if (uid === undefined || title === undefined) throw new Error(`dashboard ${JSON.stringify(title)} has no uid`);
  return { ...numberPanels(built), uid, title };
}

/**
 * Every dashboard for the given specs; uids are stable, so re-rendering updates rather than duplicates them.
 * The overview and business dashboards read the app's own metric catalog, so they come only with its spec.
 */
export function buildDashboards(specs: readonly Spec[], stack: StackConfig): GrafanaDashboard[] {
  const app = specs.some((s) => s.service === CATALOG_SERVICE) ? [serviceOverview(specs), businessAnalytics()] : [];
  return [...app, ...specs.map((spec) => sloDashboard(spec, stack))].map(finish);
}
