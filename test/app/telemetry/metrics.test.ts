// The metric registry exports exactly the catalog, with bounded labels and spec-derived buckets.
import { METRICS } from '../../../app/telemetry/catalog';
import { createMetrics, MAX_ROUTES, UNMATCHED_ROUTE } from '../../../app/telemetry/metrics';
import { memoryLimitBytes, parseCgroupLimit, CGROUP_V1_LIMIT, CGROUP_V2_MEMORY_MAX } from '../../../app/telemetry/memoryLimit';

const GiB = 1024 ** 3;

function typeLine(text: string, name: string): string | undefined {
  return new RegExp(`^# TYPE ${name} (\\w+)$`, 'm').exec(text)?.[1];
}

describe('createMetrics', () => {
  it('exports every catalog metric with its type and help, including the default collectors', async () => {
    const metrics = createMetrics({ collectDefaults: true });
    const text = await metrics.render('prometheus');
    for (const def of METRICS) {
      expect({ name: def.name, type: typeLine(text, def.name) }).toEqual({ name: def.name, type: def.type });
      if (def.source !== 'default') expect(text).toContain(`# HELP ${def.name} ${def.help}`);
    }
  });

  it('uses the buckets it is given (spec thresholds) and the catalog bounds otherwise', async () => {
    const metrics = createMetrics({ collectDefaults: false, buckets: { http_request_duration_seconds: [0.1, 0.25, 0.3, 2.5] } });
    metrics.recordHttpRequest({ method: 'GET', route: '/x', statusCode: 200, seconds: 0.2 });
    metrics.observeVectorQuery(0.01);
    const text = await metrics.render('prometheus');
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.25",method="GET",route="/x",status_code="200"} 1');
    expect(text).toContain('http_request_duration_seconds_bucket{le="2.5",method="GET",route="/x",status_code="200"} 1');
    expect(text).toContain('vector_query_duration_seconds_bucket{le="0.05"} 1');
  });

  it('rejects bucket bounds that are not strictly increasing, naming the histogram', () => {
    expect(() => createMetrics({ collectDefaults: false, buckets: { llm_generation_duration_seconds: [1, 1, 2] } }))
      .toThrow(/llm_generation_duration_seconds.*strictly increasing/);
  });

  it('bounds label values: unknown platform, tier, method and severity become other', async () => {
    const metrics = createMetrics({ collectDefaults: false });
    metrics.recordQuery('emacs', 'platinum');
    metrics.recordQuery('cursor', 'pro');
    metrics.recordError('kaboom', 'medium');
    metrics.recordHttpRequest({ method: 'BREW', route: '/x', statusCode: 999, seconds: 0.01 });
    const text = await metrics.render('prometheus');
    expect(text).toContain('queries_executed_total{platform="other",user_tier="other"} 1');
    expect(text).toContain('queries_executed_total{platform="cursor",user_tier="pro"} 1');
    expect(text).toContain('errors_total{type="other",severity="medium"} 1');
    expect(text).toContain('http_requests_total{method="other",route="/x",status_code="other"} 1');
    expect(text).not.toMatch(/emacs|platinum|kaboom|BREW|999/);
  });

  it('starts every bounded label combination at zero so rate() queries have series from the first scrape', async () => {
    const text = await createMetrics({ collectDefaults: false }).render('prometheus');
    expect(text).toContain('mcp_tool_calls_total{tool="ask_twin",outcome="error"} 0');
    expect(text).toContain('alerts_received_total{severity="critical",status="firing"} 0');
  });

  it('keeps raw paths out of the route label and caps the number of distinct routes', async () => {
    const metrics = createMetrics({ collectDefaults: false });
    metrics.recordHttpRequest({ method: 'GET', route: '/api/profile?email=a@b.c', statusCode: 200, seconds: 0.01 });
    metrics.recordHttpRequest({ method: 'GET', route: UNMATCHED_ROUTE, statusCode: 404, seconds: 0.01 });
    for (let i = 0; i < MAX_ROUTES + 5; i++) metrics.recordHttpRequest({ method: 'GET', route: `/r${i}`, statusCode: 200, seconds: 0.01 });
    const text = await metrics.render('prometheus');
    expect(text).not.toContain('a@b.c');
    expect(text).toContain('route="unmatched"');
    const routes = new Set([...text.matchAll(/http_requests_total\{[^}]*route="([^"]*)"/g)].map((m) => m[1]));
    expect(routes.size).toBeLessThanOrEqual(MAX_ROUTES + 2);
    expect(routes.has('other')).toBe(true);
  });

  it('attaches the trace id as an exemplar in OpenMetrics only, and the text format keeps counter names afterwards', async () => {
    const metrics = createMetrics({ collectDefaults: false });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    metrics.recordHttpRequest({ method: 'POST', route: '/mcp', statusCode: 200, seconds: 0.2, traceId });
    const open = await metrics.render('openmetrics');
    expect(open).toMatch(new RegExp(`http_request_duration_seconds_bucket\\{le="0.3",method="POST",route="/mcp",status_code="200"\\} 1 # \\{trace_id="${traceId}"\\} 0.2 `));
    expect(open.endsWith('# EOF\n')).toBe(true);
    const [text] = await Promise.all([metrics.render('prometheus'), metrics.render('openmetrics')]);
    expect(text).toContain('http_requests_total{method="POST",route="/mcp",status_code="200"} 1');
    expect(text).not.toContain('trace_id');
  });

  it('reads the pool gauges from the source at scrape time', async () => {
    const metrics = createMetrics({ collectDefaults: false, memoryLimit: 512 * 1024 * 1024 });
    let active = 3;
    metrics.setPoolStatsSource(() => ({ active, idle: 2, waiting: 1, max: 10 }));
    expect(await metrics.render('prometheus')).toContain('database_pool_connections_active 3');
    active = 7;
    const text = await metrics.render('prometheus');
    expect(text).toContain('database_pool_connections_active 7');
    expect(text).toContain('database_pool_connections_max 10');
    expect(text).toContain('process_memory_limit_bytes 536870912');
  });

  it('counts requests in flight and ignores a second release', async () => {
    const metrics = createMetrics({ collectDefaults: false });
    const release = metrics.trackActiveConnection();
    metrics.trackActiveConnection();
    release();
    release();
    expect(await metrics.render('prometheus')).toContain('active_connections 1');
  });
});

describe('memoryLimitBytes', () => {
  it('prefers the cgroup v2 limit, then v1, then total memory', () => {
    const files = (map: Record<string, string>) => (p: string) => map[p];
    expect(memoryLimitBytes(files({ [CGROUP_V2_MEMORY_MAX]: '536870912\n' }), 8 * GiB)).toBe(536870912);
    expect(memoryLimitBytes(files({ [CGROUP_V2_MEMORY_MAX]: 'max\n', [CGROUP_V1_LIMIT]: '1073741824' }), 8 * GiB)).toBe(GiB);
    expect(memoryLimitBytes(files({ [CGROUP_V1_LIMIT]: '9223372036854771712' }), 8 * GiB)).toBe(8 * GiB);
    expect(memoryLimitBytes(files({}), 8 * GiB)).toBe(8 * GiB);
  });

  it('treats garbage as no limit', () => {
    expect(parseCgroupLimit('lots', GiB)).toBeUndefined();
    expect(parseCgroupLimit('0', GiB)).toBeUndefined();
  });
});
