// Instrumentation overhead: requests/second and P99 of one endpoint with telemetry off and on (separate processes,
// since OpenTelemetry patches http and express at load), and the time to render /metrics with realistic label sets.
// `node -r tsx/cjs bench/telemetry.ts` runs it alone; bench/run.ts calls benchTelemetry().
import express from 'express';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { httpMetricsMiddleware } from '../app/telemetry/httpMetrics';
import { createLogger } from '../app/telemetry/logger';
import { createMetrics } from '../app/telemetry/metrics';
import { requestContextMiddleware } from '../app/telemetry/requestContext';
import { requestLogMiddleware } from '../app/telemetry/requestLog';
import { instrumentationFor } from '../slo/instrumentation';
import { loadSpecFile } from '../slo/load';

const ROOT = path.resolve(__dirname, '..');
const WARMUP_REQUESTS = 500;
const MEASURED_REQUESTS = 4_000;
const CONCURRENCY = 16;
/** Every loop stops here even if the server slows to a crawl. */
const LOAD_LIMIT_MS = 30_000;
const RENDERS = 200;

interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function request(agent: http.Agent, port: number, requestPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: requestPath, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
  });
}

async function load(port: number, count: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  const deadline = Date.now() + LOAD_LIMIT_MS;
  let issued = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (issued < count && Date.now() < deadline) {
      const id = issued++;
      const t0 = process.hrtime.bigint();
      await request(agent, port, `/api/profile/${id % 50}`);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, rps: latencies.length / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/** The server side, run in a child: the endpoint bare, or behind the full telemetry stack (tracing preloaded). */
function serve(instrumented: boolean): void {
  const app = express();
  if (instrumented) {
    const metrics = createMetrics();
    // Log lines are formatted and written as in production, to a sink instead of a terminal.
    const sink = new winston.transports.Stream({ stream: new Writable({ write(_c, _e, cb) { cb(); } }) });
    const logger = createLogger({ service: 'bench', environment: 'bench', version: '0', console: false, files: false, transports: [sink] });
    app.use(requestContextMiddleware(), httpMetricsMiddleware(metrics), requestLogMiddleware(logger));
  }
  app.get('/api/profile/:id', (req, res) => {
    res.json({ id: req.params.id, name: 'Digital Twin', skills: ['observability', 'typescript'] });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
  });
}

/** Accepts OTLP/HTTP exports and drops them, so the instrumented server pays for real span export. */
async function otlpSink(): Promise<{ url: string; close(): void }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

async function startServer(instrumented: boolean, otlpUrl: string): Promise<{ port: number; child: ChildProcess }> {
  const preload = instrumented ? ['-r', './app/instrumentation.ts'] : [];
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', ...preload, 'bench/telemetry.ts', 'serve', instrumented ? 'on' : 'off'], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'production', OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('bench server did not start in 30 s')), 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { port, child };
}

async function measure(instrumented: boolean, otlpUrl: string): Promise<LoadResult> {
  const { port, child } = await startServer(instrumented, otlpUrl);
  try {
    await load(port, WARMUP_REQUESTS);
    return await load(port, MEASURED_REQUESTS);
  } finally {
    child.kill('SIGTERM');
  }
}

/** A registry as a busy server has it: 20 routes x methods x statuses in the histograms, every bounded label set. */
async function renderTimes(): Promise<Record<string, { meanMs: number; p99Ms: number; bytes: number; series: number }>> {
  const metrics = createMetrics({ buckets: instrumentationFor([loadSpecFile(path.join(ROOT, 'slo/digital-twin-mcp.yaml'))]).buckets });
  const routes = Array.from({ length: 20 }, (_, i) => `/api/resource${i}/:id`);
  for (const route of routes) {
    for (const method of ['GET', 'POST']) {
      for (const statusCode of [200, 400, 404, 500]) {
        for (let i = 0; i < 20; i++) {
          metrics.recordHttpRequest({ method, route, statusCode, seconds: (i % 10) / 7, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
        }
      }
    }
  }
  for (let i = 0; i < 500; i++) {
    metrics.observeVectorQuery((i % 20) / 10);
    metrics.observeLlmGeneration((i % 25) / 2);
  }
  const out: Record<string, { meanMs: number; p99Ms: number; bytes: number; series: number }> = {};
  for (const format of ['prometheus', 'openmetrics'] as const) {
    const times: number[] = [];
    let body = '';
    for (let i = 0; i < RENDERS; i++) {
      const t0 = process.hrtime.bigint();
      body = await metrics.render(format);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    out[format] = {
      meanMs: times.reduce((a, b) => a + b, 0) / times.length,
      p99Ms: percentile(times, 99),
      bytes: body.length,
      series: body.split('\n').filter((l) => l && !l.startsWith('#')).length,
    };
  }
  return out;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);

export async function benchTelemetry(): Promise<void> {
  const sink = await otlpSink();
  try {
    const off = await measure(false, sink.url);
    const on = await measure(true, sink.url);
    console.log(`telemetry overhead, GET /api/profile/:id, ${MEASURED_REQUESTS} requests, concurrency ${CONCURRENCY}, loopback keep-alive`);
    console.log(`  off: ${fmt(off.rps, 0)} req/s, p50 ${fmt(off.p50Ms)} ms, p99 ${fmt(off.p99Ms)} ms (${off.requests} requests)`);
    console.log(`  on:  ${fmt(on.rps, 0)} req/s, p50 ${fmt(on.p50Ms)} ms, p99 ${fmt(on.p99Ms)} ms (${on.requests} requests; tracing, metrics, request log)`);
    console.log(`  on/off: throughput x${fmt(on.rps / off.rps)}, p99 x${fmt(on.p99Ms / off.p99Ms)}`);
  } finally {
    sink.close();
  }
  const renders = await renderTimes();
  for (const [format, r] of Object.entries(renders)) {
    console.log(`/metrics render (${format}): mean ${fmt(r.meanMs)} ms, p99 ${fmt(r.p99Ms)} ms, ${r.series} series, ${r.bytes} bytes (${RENDERS} renders)`);
  }
}

if (require.main === module) {
  if (process.argv[2] === 'serve') {
    serve(process.argv[3] === 'on');
  } else {
    benchTelemetry().catch((error: Error) => {
      process.stderr.write(`telemetry bench failed: ${error.message}\n`);
      process.exit(1);
    });
  }
}
