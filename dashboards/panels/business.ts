// Panels of the business analytics dashboard: who uses the twin, from where, and what goes wrong for them.
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { defaultStat, defaultTimeseries, PROMETHEUS, promInstantQuery, promQuery, thresholds } from '../defaults';
import { appRate, appSeries } from '../scope';

/** Business counts read better per minute than per second. */
function perMinute(expr: string): string {
  return `60 * ${expr}`;
}

function totalInRange(metric: string, ...extra: string[]): string {
  return `sum(increase(${appSeries(metric, ...extra)}[$__range]))`;
}

export function queriesByPlatform(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('Queries by platform')
    .description(
      'Profile queries per minute by client platform (Claude, ChatGPT, Cursor, VS Code, web, API). ' +
        'One platform falling to zero while others hold means its integration broke: check its MCP client errors and auth failures.',
    )
    .unit(units.CountsPerMinute)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .fillOpacity(40)
    .withTarget(promQuery('A', perMinute(`sum by (platform) (${appRate('queries_executed_total')})`), '{{platform}}'));
}

export function queriesByUserTier(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('Queries by user tier')
    .description(
      'Profile queries per minute by user tier (free, pro, enterprise). ' +
        'A drop in enterprise traffic alone is worth a call to the account owner; a surge of free traffic may need rate limits.',
    )
    .unit(units.CountsPerMinute)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .fillOpacity(40)
    .withTarget(promQuery('A', perMinute(`sum by (user_tier) (${appRate('queries_executed_total')})`), '{{user_tier}}'));
}

export function queriesInRange(): stat.PanelBuilder {
  return defaultStat()
    .span(8)
    .title('Queries in range')
    .description('Profile queries answered over the selected time range, all platforms and tiers. Zero while requests arrive means queries fail before they are counted.')
    .unit(units.Short)
    .colorMode(common.BigValueColorMode.None)
    .withTarget(promInstantQuery('A', totalInRange('queries_executed_total')));
}

export function profileUpdatesInRange(): stat.PanelBuilder {
  return defaultStat()
    .span(8)
    .title('Profile updates in range')
    .description('Profile updates over the selected time range. Updates refresh the twin\'s answers; none for days means the profile is going stale.')
    .unit(units.Short)
    .colorMode(common.BigValueColorMode.None)
    .withTarget(promInstantQuery('A', totalInRange('profile_updates_total')));
}

export function apiKeysCreatedInRange(): stat.PanelBuilder {
  return defaultStat()
    .span(8)
    .title('API keys created in range')
    .description(
      'API keys issued over the selected time range: new integrations. A burst from nowhere can be abuse of the admin endpoint: ' +
        'check the audit log of key creation.',
    )
    .unit(units.Short)
    .colorMode(common.BigValueColorMode.None)
    .withTarget(promInstantQuery('A', totalInRange('api_keys_created_total')));
}

export function mcpToolCalls(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('MCP tool calls by tool and outcome')
    .description(
      'MCP tool calls per minute by tool and outcome. A tool whose error line rises is broken for every client: ' +
        'its errors by type below say which dependency fails.',
    )
    .unit(units.CountsPerMinute)
    .withTarget(promQuery('A', perMinute(`sum by (tool, outcome) (${appRate('mcp_tool_calls_total')})`), '{{tool}} {{outcome}}'));
}

export function profileUpdatesAndApiKeys(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('Profile updates and API keys created')
    .description('Profile updates and API key creations per minute. Both are rare events: read the spikes, not the level.')
    .unit(units.CountsPerMinute)
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(80)
    .withTarget(promQuery('A', perMinute(`sum(${appRate('profile_updates_total')})`), 'profile updates'))
    .withTarget(promQuery('B', perMinute(`sum(${appRate('api_keys_created_total')})`), 'API keys created'));
}

export function errorsByTypeAndSeverity(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('Errors by type and severity')
    .description(
      'Errors per minute as users feel them, by type and severity. Critical or high errors of any type deserve a look even when ' +
        'no alert fired; find them in Sentry by type.',
    )
    .unit(units.CountsPerMinute)
    .withTarget(promQuery('A', perMinute(`sum by (type, severity) (${appRate('errors_total')})`), '{{type}} {{severity}}'));
}

export function topRoutes(): bargauge.PanelBuilder {
  return new bargauge.PanelBuilder()
    .datasource(PROMETHEUS)
    .height(8)
    .span(12)
    .title('Top 10 routes')
    .description(
      'The ten routes with most requests over the selected time range, all pods. A route new to this list after a release ' +
        'may be a client retry loop: compare with its error ratio on the service overview.',
    )
    .unit(units.Short)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .orientation(common.VizOrientation.Horizontal)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .thresholds(thresholds([{ from: null, color: 'blue' }]))
    .withTarget(promInstantQuery('A', `topk(10, sum by (route) (increase(${appSeries('http_requests_total')}[$__range])))`, '{{route}}'));
}
