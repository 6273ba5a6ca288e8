// HTTP instrumentation: request ids, RED metrics with route templates, /metrics in text and OpenMetrics.
import express from 'express';
import pg from 'pg';
import { httpMetricsMiddleware } from '../../../app/telemetry/httpMetrics';
import { createMetrics } from '../../../app/telemetry/metrics';
import { metricsHandler, negotiateFormat } from '../../../app/telemetry/metricsEndpoint';
import { pgPoolStats } from '../../../app/telemetry/poolStats';
import { currentRequestId, requestContextMiddleware } from '../../../app/telemetry/requestContext';
import { listen, type Listening } from './httpServer';

function buildApp() {
  const metrics = createMetrics({ collectDefaults: false });
  const app = express();
  app.use(requestContextMiddleware());
  app.use(httpMetricsMiddleware(metrics));
  app.get('/metrics', metricsHandler(metrics));
  const profiles = express.Router();
  profiles.get('/:id', async (_req, res) => {
    await new Promise((r) => setTimeout(r, 5));
    res.json({ requestId: currentRequestId() });
  });
  app.use('/api/profile', profiles);
  app.get('/boom', () => {
    throw new Error('boom');
  });
  return { app, metrics };
}

describe('HTTP middleware', () => {
  let server: Listening;
  beforeAll(async () => {
    server = await listen(buildApp().app);
  });
  afterAll(() => server.close());

  it('echoes a sane x-request-id and makes it current in async handlers', async () => {
    const res = await fetch(`${server.url}/api/profile/42`, { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(await res.json()).toEqual({ requestId: 'abc-123' });
  });

  it('replaces an insane x-request-id with a generated one', async () => {
    const res = await fetch(`${server.url}/api/profile/42`, { headers: { 'x-request-id': 'x'.repeat(300) } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({ requestId: id });
  });

  it('labels requests by route template and status code, never the raw path', async () => {
    await fetch(`${server.url}/api/profile/user-secret-77`);
    await fetch(`${server.url}/no/such/path/jane@example.com`);
    await fetch(`${server.url}/boom`);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/profile\/:id",status_code="200"\} \d+/);
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status_code="404"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="/boom",status_code="500"} 1');
    expect(text).toContain('errors_total{type="server_error",severity="medium"} 1');
    expect(text).not.toMatch(/user-secret-77|jane@example\.com/);
    // the scrape itself is in flight while it renders
    expect(text).toContain('active_connections 1');
  });

  it('serves OpenMetrics when the client asks for it', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(res.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    expect(await res.text()).toMatch(/# EOF\n$/);
    const plain = await fetch(`${server.url}/metrics`);
    expect(plain.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
  });

  it('negotiates the format from the Accept header', () => {
    expect(negotiateFormat('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5')).toBe('openmetrics');
    expect(negotiateFormat('text/plain')).toBe('prometheus');
    expect(negotiateFormat(undefined)).toBe('prometheus');
  });
});

describe('pgPoolStats against the local PostgreSQL', () => {
  it('reports checked-out, idle and max connections of a real pool', async () => {
    const pool = new pg.Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 4 });
    try {
      const metrics = createMetrics({ collectDefaults: false });
      metrics.setPoolStatsSource(pgPoolStats(pool));
      const a = await pool.connect();
      const b = await pool.connect();
      b.release();
      const text = await metrics.render('prometheus');
      expect(text).toContain('database_pool_connections_active 1');
      expect(text).toContain('database_pool_connections_idle 1');
      expect(text).toContain('database_pool_connections_max 4');
      a.release();
    } finally {
      await pool.end();
    }
  });
});
