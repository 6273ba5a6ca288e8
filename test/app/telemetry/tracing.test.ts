// Tracing in a real Node process: domain spans nested under the HTTP span, trace ids in logs, OTLP export.
import { startFixture } from './processFixture';
import { startOtlpStandIn } from './otlpStandIn';
import { eventually } from './elasticsearchStandIn';
import { tracingOptionsFromEnv } from '../../../app/telemetry/tracing';
import { connectClient } from '../support/harness';

const FIXTURE = 'test/app/telemetry/fixtures/tracedServer.ts';
const DOMAIN_SPANS = ['digital-twin-query', 'vector-search', 'llm-generation'];

interface SpanView { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes: Record<string, unknown>; resource: Record<string, unknown> }

/** Asserts the HTTP server span is the root of the request and the domain spans hang under it. */
function expectNested(spans: SpanView[], traceId: string, root = 'POST /ask'): void {
  const inTrace = spans.filter((s) => s.traceId === traceId);
  const byId = new Map(inTrace.map((s) => [s.spanId, s]));
  const http = inTrace.find((s) => s.parentSpanId === undefined);
  expect(http?.name).toBe(root);
  const ancestorsOf = (s: SpanView): string[] => {
    const names: string[] = [];
    for (let p = s.parentSpanId && byId.get(s.parentSpanId); p; p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined) names.push(p.name);
    return names;
  };
  const query = inTrace.find((s) => s.name === 'digital-twin-query')!;
  expect(ancestorsOf(query)).toContain(root);
  for (const child of ['vector-search', 'llm-generation']) {
    const span = inTrace.find((s) => s.name === child)!;
    expect(span.parentSpanId).toBe(query.spanId);
  }
  expect(typeof inTrace.find((s) => s.name === 'vector-search')!.attributes['results.count']).toBe('number');
}

/** Finished spans of the fixture, polled: export waits for resource detection (host, process), slower under load. */
async function spansWhen(url: string, names: string[]): Promise<SpanView[]> {
  let spans: SpanView[] = [];
  for (let i = 0; i < 200 && !names.every((n) => spans.some((s) => s.name === n)); i++) {
    spans = await (await fetch(`${url}/__spans`)).json() as SpanView[];
    if (!names.every((n) => spans.some((s) => s.name === n))) await new Promise((r) => setTimeout(r, 100));
  }
  return spans;
}

function logLines(lines: string[]): Array<Record<string, unknown>> {
  return lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('tracing with the in-memory span exporter (fixture process; jest bypasses require hooks)', () => {
  it('nests the three domain spans under the HTTP span and puts the trace id in that request\'s log lines', async () => {
    const fixture = await startFixture(FIXTURE, [], { FIXTURE_TRACING: 'memory' });
    try {
      const res = await fetch(`${fixture.url}/ask`, { method: 'POST', headers: { 'x-request-id': 'trace-req-1' } });
      expect(await res.json()).toEqual({ answer: 'hello world' });
      const spans = await spansWhen(fixture.url, ['POST /ask', ...DOMAIN_SPANS]);
      const query = spans.find((s) => s.name === 'digital-twin-query');
      expect(query).toBeDefined();
      expectNested(spans, query!.traceId);
      expect(spans.some((s) => s.name.startsWith('request handler') || s.name.startsWith('middleware'))).toBe(true);
      expect(query!.resource).toMatchObject({ 'service.name': 'digital-twin-mcp', 'service.version': '9.9.9', 'deployment.environment.name': 'test' });
      await eventually(() => logLines(fixture.lines()).some((l) => l.message === 'Request completed'), 'the request log line');
      const requestLines = logLines(fixture.lines()).filter((l) => l.requestId === 'trace-req-1');
      expect(requestLines.map((l) => l.message)).toEqual(['vector search done', 'Request completed']);
      for (const line of requestLines) expect(line.trace_id).toBe(query!.traceId);
      expect(requestLines[0].span_id).toBe(spans.find((s) => s.name === 'vector-search')!.spanId);
    } finally {
      await fixture.stop();
    }
  });
});

describe('Sentry beside our OpenTelemetry (fake DSN, envelopes captured in the fixture)', () => {
  it('adds no tracer provider and no duplicate spans, and links the error event to our trace', async () => {
    const fixture = await startFixture(FIXTURE, [], { FIXTURE_TRACING: 'memory', FIXTURE_SENTRY: '1' });
    try {
      await fetch(`${fixture.url}/ask`, { method: 'POST' });
      expect((await fetch(`${fixture.url}/boom`)).status).toBe(500);
      const spans = await spansWhen(fixture.url, ['POST /ask', 'GET /boom', ...DOMAIN_SPANS]);
      const query = spans.find((s) => s.name === 'digital-twin-query')!;
      expectNested(spans, query.traceId);
      const inQueryTrace = spans.filter((s) => s.traceId === query.traceId).map((s) => s.name);
      for (const name of ['POST /ask', ...DOMAIN_SPANS]) expect(inQueryTrace.filter((n) => n === name)).toHaveLength(1);
      const boom = spans.find((s) => s.name === 'GET /boom');
      expect(boom).toBeDefined();
      await eventually(() => fixture.lines().some((l) => l.startsWith('SENTRY_ENVELOPE ')), 'the Sentry envelope');
      const envelope = JSON.parse(fixture.lines().find((l) => l.startsWith('SENTRY_ENVELOPE '))!.slice('SENTRY_ENVELOPE '.length)) as string;
      const items = envelope.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(items.some((i) => i.type === 'transaction' || i.type === 'span')).toBe(false);
      const event = items.find((i) => (i as { exception?: unknown }).exception) as { contexts: { trace: { trace_id: string } } };
      expect(event.contexts.trace.trace_id).toBe(boom!.traceId);
    } finally {
      await fixture.stop();
    }
  });
});

describe('the preload entry app/instrumentation.ts exporting OTLP/HTTP to the Jaeger stand-in (local OTLP receiver)', () => {
  it('exports the request\'s spans with service name, version and environment before the process exits', async () => {
    const jaeger = await startOtlpStandIn();
    const fixture = await startFixture(FIXTURE, ['./app/instrumentation.ts'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.url, APP_VERSION: '3.1.4', NODE_ENV: 'staging',
    });
    try {
      await fetch(`${fixture.url}/ask`, { method: 'POST' });
      await fetch(`${fixture.url}/metrics`);
    } finally {
      await fixture.stop();
    }
    try {
      const query = jaeger.spans.find((s) => s.name === 'digital-twin-query');
      expect(query).toBeDefined();
      expectNested(jaeger.spans, query!.traceId);
      expect(query!.resource).toMatchObject({ 'service.name': 'digital-twin-mcp', 'service.version': '3.1.4', 'deployment.environment.name': 'staging' });
      expect(jaeger.spans.some((s) => s.name.includes('/metrics'))).toBe(false);
      expect(jaeger.contentTypes[0]).toMatch(/application\/json/);
    } finally {
      await jaeger.close();
    }
  });
});

describe('tracingOptionsFromEnv', () => {
  it('turns tracing off with OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none', () => {
    expect(tracingOptionsFromEnv({ OTEL_SDK_DISABLED: 'true' }).export.kind).toBe('none');
    expect(tracingOptionsFromEnv({ OTEL_TRACES_EXPORTER: 'none' }).export.kind).toBe('none');
    expect(tracingOptionsFromEnv({ NODE_ENV: 'production', APP_VERSION: '1.0.0' })).toMatchObject({ environment: 'production', version: '1.0.0', export: { kind: 'otlp' } });
  });
});

describe('the real server (app/main.ts preloaded with app/instrumentation.ts) against the Jaeger stand-in', () => {
  it('nests the ask_twin spans under POST /mcp, puts that trace id in its log lines and as an OpenMetrics exemplar', async () => {
    const jaeger = await startOtlpStandIn();
    const admin = 'admin-key-for-the-tracing-test-0123456789';
    const server = await startFixture('app/main.ts', ['./app/instrumentation.ts'], {
      PORT: '0', HOST: '127.0.0.1', PGLITE_DATA_DIR: 'memory://', ADMIN_API_KEY: admin, LOG_FORMAT: 'json',
      OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.url, APP_VERSION: '2.0.0',
    }, /server listening.*127\.0\.0\.1:(\d+)\/mcp/, 50_000);
    let exemplarTraceIds: string[] = [];
    let lines: string[] = [];
    try {
      const res = await fetch(`${server.url}/admin/keys`, {
        method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scope: 'read', tier: 'pro' }),
      });
      const { key } = await res.json() as { key: string };
      const client = await connectClient(`${server.url}/mcp`, key);
      await client.callTool({ name: 'ask_twin', arguments: { question: 'Which observability tools do you use?', platform: 'claude' } });
      await client.close();
      const open = await (await fetch(`${server.url}/metrics`, { headers: { accept: 'application/openmetrics-text' } })).text();
      exemplarTraceIds = [...open.matchAll(/^http_request_duration_seconds_bucket\{[^}]*route="\/mcp"[^}]*\} \d+ # \{trace_id="([0-9a-f]{32})"\}/gm)].map((m) => m[1]);
    } finally {
      await server.stop();
      lines = server.lines();
    }
    try {
      const query = jaeger.spans.find((s) => s.name === 'digital-twin-query');
      expect(query).toBeDefined();
      expectNested(jaeger.spans, query!.traceId, 'POST /mcp');
      expect(query!.attributes['question.length']).toBeGreaterThan(0);
      expect(JSON.stringify(jaeger.spans)).not.toContain('Which observability tools');
      expect(exemplarTraceIds.length).toBeGreaterThan(0);
      const traced = new Set(jaeger.spans.map((s) => s.traceId));
      for (const id of exemplarTraceIds) expect(traced.has(id)).toBe(true);
      const askLogs = logLines(lines).filter((l) => l.trace_id === query!.traceId);
      expect(askLogs.some((l) => l.message === 'Request completed' && l.route === '/mcp')).toBe(true);
    } finally {
      await jaeger.close();
    }
  }, 90_000);
});
