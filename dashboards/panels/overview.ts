// Panels of the service overview: traffic, latency, errors, cache, resources and dependencies of the app's pods.
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { defaultStat, defaultTimeseries, PROMETHEUS, promInstantQuery, promQuery, thresholds, timeseriesWithLimit } from '../defaults';
import { appQuantile, appRate, appSeries } from '../scope';

/** Same share as the seed's HighMemoryUsage and DatabasePoolExhausted alerts: above it, act before the alert fires. */
const SATURATION_LIMIT = 0.9;

export function requestRateByRoute(): timeseries.PanelBuilder {
  // status_class (2xx, 4xx, 5xx) is derived at query time so the app keeps exporting exact status codes.
  const byClass = `label_replace(${appRate('http_requests_total')}, "status_class", "\${1}xx", "status_code", "([0-9])..")`;
  return defaultTimeseries()
    .title('Request rate by route and status class')
    .description(
      'HTTP requests per second across all pods, by route template and status class. ' +
        'A sudden drop on every route means clients cannot reach the service (check ingress and active pods); ' +
        'a rise of 5xx on one route points at that handler or its dependency.',
    )
    .unit(units.RequestsPerSecond)
    .withTarget(promQuery('A', `sum by (route, status_class) (${byClass})`, '{{route}} {{status_class}}'));
}

/** `sloThreshold`: seconds of the spec's latency SLO on this histogram, drawn as a dashed line when there is one. */
export function responseTimePercentiles(sloThreshold: number | undefined): timeseries.PanelBuilder {
  const panel =
    sloThreshold === undefined
      ? defaultTimeseries()
      : timeseriesWithLimit([{ from: null, color: 'green' }, { from: sloThreshold, color: 'red' }]);
  return panel
    .title('Response time P95 and P99')
    .description(
      'Response time quantiles over all routes and pods (buckets summed by le before the quantile). ' +
        'A dashed line marks the latency SLO threshold. If P95 crosses it, look at vector search and LLM latency below, ' +
        'then the traces of slow requests in Jaeger; scale out when CPU is also high.',
    )
    .unit(units.Seconds)
    .withTarget(promQuery('A', appQuantile(0.95, 'http_request_duration_seconds'), 'P95'))
    .withTarget(promQuery('B', appQuantile(0.99, 'http_request_duration_seconds'), 'P99'));
}

export function httpErrorRatio(): timeseries.PanelBuilder {
  return timeseriesWithLimit([{ from: null, color: 'green' }, { from: 0.01, color: 'red' }])
    .title('HTTP 5xx ratio')
    .description(
      'Share of requests answered with a 5xx status, over all pods (sum of errors over sum of requests). ' +
        'Above 1% the availability SLO burns budget quickly: check the error types panel, recent deployments and dependency health.',
    )
    .unit(units.PercentUnit)
    .min(0)
    .withTarget(
      promQuery(
        'A',
        `sum(${appRate('http_requests_total', 'status_code=~"5.."')}) / sum(${appRate('http_requests_total')})`,
        '5xx ratio',
      ),
    );
}

export function errorRateByType(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('Errors by type')
    .description(
      'Errors per second the app recorded, by type (llm, vector, database, cache, auth, validation...). ' +
        'One type rising alone names the failing dependency; read its logs in Elasticsearch and its events in Sentry.',
    )
    .unit(units.EventsPerSecond)
    .withTarget(promQuery('A', `sum by (type) (${appRate('errors_total')})`, '{{type}}'));
}

export function cacheHitRateByLayer(): timeseries.PanelBuilder {
  // Each layer's hits over every lookup, so the stacked layers add up to the overall hit rate.
  const lookups = `(sum(${appRate('cache_hits_total')}) + sum(${appRate('cache_misses_total')}))`;
  return timeseriesWithLimit([{ from: null, color: 'red' }, { from: 0.5, color: 'green' }])
    .title('Cache hit rate by layer')
    .description(
      'Share of lookups answered by the in-process cache (L1) and by Redis (L2); the stack is the overall hit rate. ' +
        'Below the dashed 50% line most queries reach the vector store and the LLM: check Redis health and memory, ' +
        'and whether a deployment flushed the caches.',
    )
    .unit(units.PercentUnit)
    .min(0)
    .max(1)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .fillOpacity(40)
    .withTarget(promQuery('A', `sum by (layer) (${appRate('cache_hits_total')}) / on() group_left() ${lookups}`, '{{layer}}'));
}

export function activePods(): stat.PanelBuilder {
  return defaultStat()
    .title('Active pods')
    .description(
      'Pods Prometheus scrapes successfully (up == 1). Fewer than the HPA minimum means pods crash or fail readiness: ' +
        'check `kubectl get pods` and recent events.',
    )
    .unit(units.Short)
    .decimals(0)
    .thresholds(thresholds([{ from: null, color: 'red' }, { from: 1, color: 'orange' }, { from: 2, color: 'green' }]))
    .withTarget(promQuery('A', `sum(${appSeries('up')})`, 'up'));
}

export function cpuUsage(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('CPU per pod')
    .description(
      'CPU time per second of each pod, as a share of one core (100% = one full core). ' +
        'Pods near their CPU limit get throttled and latency rises: check that the HPA scales out.',
    )
    .unit(units.PercentUnit)
    .min(0)
    .withTarget(promQuery('A', `sum by (instance) (${appRate('process_cpu_seconds_total')})`, '{{instance}}'));
}

export function memoryAgainstLimit(): timeseries.PanelBuilder {
  return timeseriesWithLimit([{ from: null, color: 'green' }, { from: SATURATION_LIMIT, color: 'red' }])
    .title('Memory against limit')
    .description(
      'Resident memory of each pod over its memory limit (cgroup limit, else host memory). ' +
        'Above the dashed 90% line the pod is close to an OOM kill: look for a leak (steady climb) or raise the limit.',
    )
    .unit(units.PercentUnit)
    .min(0)
    .withTarget(
      promQuery(
        'A',
        `max by (instance) (${appSeries('process_resident_memory_bytes')}) / max by (instance) (${appSeries('process_memory_limit_bytes')})`,
        '{{instance}}',
      ),
    );
}

export function vectorQueryLatencyHeatmap(): heatmap.PanelBuilder {
  return new heatmap.PanelBuilder()
    .datasource(PROMETHEUS)
    .height(8)
    .span(12)
    .title('Vector query latency distribution')
    .description(
      'How many vector database queries finished in each latency bucket, over all pods. ' +
        'A band moving up means the vector store slows down for everyone; a second band means some queries are slow: ' +
        'check the index size and the vector store resources.',
    )
    .unit(units.Seconds)
    .calculate(false)
    .yAxis(new heatmap.YAxisConfigBuilder().unit(units.Seconds))
    .color(new heatmap.HeatmapColorOptionsBuilder().mode(heatmap.HeatmapColorMode.Scheme).scheme('Oranges').scale(heatmap.HeatmapColorScale.Exponential).exponent(0.5).steps(64))
    .withTarget(
      promQuery('A', `sum by (le) (increase(${appSeries('vector_query_duration_seconds_bucket')}[$__rate_interval]))`, '{{le}}')
        .format(prometheus.PromQueryFormat.Heatmap),
    );
}

export function dependencyLatency(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('Vector search and LLM latency P95')
    .description(
      'P95 of vector search and of LLM generation, the two calls inside most requests. ' +
        'When response time is high, the one that rose is the cause; LLM latency above 10 s usually means provider throttling.',
    )
    .unit(units.Seconds)
    .withTarget(promQuery('A', appQuantile(0.95, 'vector_query_duration_seconds'), 'vector search P95'))
    .withTarget(promQuery('B', appQuantile(0.95, 'llm_generation_duration_seconds'), 'LLM generation P95'));
}

export function activeConnections(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('Active connections')
    .description(
      'HTTP requests in flight on each pod. A climb without more traffic means requests are stuck waiting on a dependency; ' +
        'uneven pods mean the load balancer or sticky sessions skew traffic.',
    )
    .unit(units.Short)
    .min(0)
    .withTarget(promQuery('A', `sum by (instance) (${appSeries('active_connections')})`, '{{instance}}'));
}

export function databasePoolUse(): timeseries.PanelBuilder {
  return timeseriesWithLimit([{ from: null, color: 'green' }, { from: SATURATION_LIMIT, color: 'red' }])
    .title('Database pool use')
    .description(
      'Connections checked out of each pod\'s pool over the pool size. Near 100% queries queue for a connection: ' +
        'look for slow queries or a leaked connection before raising the pool size (the database has its own limit).',
    )
    .unit(units.PercentUnit)
    .min(0)
    .max(1)
    .withTarget(
      promQuery(
        'A',
        `max by (instance) (${appSeries('database_pool_connections_active')}) / max by (instance) (${appSeries('database_pool_connections_max')})`,
        '{{instance}}',
      ),
    );
}

export function databasePoolWaiting(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('Queries waiting for a database connection')
    .description(
      'Queries queued because every pooled connection is busy. Anything above zero for minutes adds that wait to every request: ' +
        'see the pool use panel and the database slow query log.',
    )
    .unit(units.Short)
    .min(0)
    .withTarget(promQuery('A', `sum by (instance) (${appSeries('database_pool_connections_waiting')})`, '{{instance}}'));
}

/** Requests over the dashboard's time range, for a sense of scale next to the rates. */
export function requestsInRange(): stat.PanelBuilder {
  return defaultStat()
    .title('Requests in range')
    .description('HTTP requests served by all pods over the selected time range. Zero while pods are up means no traffic reaches them.')
    .unit(units.Short)
    .colorMode(common.BigValueColorMode.None)
    .graphMode(common.BigValueGraphMode.None)
    .withTarget(promInstantQuery('A', `sum(increase(${appSeries('http_requests_total')}[$__range]))`));
}
