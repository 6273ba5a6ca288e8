// Structured logs: JSON lines with request and trace ids, redaction before any transport, the Elasticsearch transport.
import { context, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import express from 'express';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { createLogger, loggerOptionsFromEnv, type LoggerOptions } from '../../../app/telemetry/logger';
import { redact, redactString } from '../../../app/telemetry/redact';
import { requestContextMiddleware, withRequestContext } from '../../../app/telemetry/requestContext';
import { requestLogMiddleware } from '../../../app/telemetry/requestLog';
import { closedPort, eventually, startElasticsearchStandIn, type ElasticsearchStandIn } from './elasticsearchStandIn';
import { listen } from './httpServer';

function capture(): { lines: () => Array<Record<string, unknown>>; raw: () => string; transport: winston.transport } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } });
  const transport = new winston.transports.Stream({ stream });
  return {
    transport,
    raw: () => chunks.join(''),
    lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const base: LoggerOptions = { service: 'digital-twin-mcp', environment: 'test', version: '1.2.3', console: false, files: false };
const tick = () => new Promise((r) => setImmediate(r));

const SECRET_META = {
  headers: { authorization: 'Bearer sk-live-aaaaaaaaaaaaaaaaaaaa', cookie: 'session=s3cr3t', 'x-api-key': 'dt_key_1234567890' },
  password: 'hunter2',
  user: { email: 'jane@example.com', tier: 'pro' },
  usage: { total_tokens: 42 },
};
const SECRETS = ['sk-live-aaaaaaaaaaaaaaaaaaaa', 's3cr3t', 'dt_key_1234567890', 'hunter2', 'jane@example.com', 'eyJhbGciOiJIUzI1NiJ9'];

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('redaction', () => {
  it('masks secret keys at any depth and keeps usage figures', () => {
    const out = redact(SECRET_META);
    expect(out.headers).toEqual({ authorization: '[REDACTED]', cookie: '[REDACTED]', 'x-api-key': '[REDACTED]' });
    expect(out.password).toBe('[REDACTED]');
    expect(out.user).toEqual({ email: '[REDACTED]', tier: 'pro' });
    expect(out.usage).toEqual({ total_tokens: 42 });
  });

  it('scrubs bearer strings, JWTs, key=value pairs, URL credentials and e-mails inside text', () => {
    const text = redactString('got Bearer abc.def-123 and token=xyz789 api_key: "k-1" from postgres://app:pw@db:5432 '
      + 'by jane@example.com with eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig and gsk_ABCDEFGHIJKLMNOPQRSTUV');
    expect(text).toBe('got Bearer [REDACTED] and token=[REDACTED] api_key: "[REDACTED]" from postgres://[REDACTED]@db:5432 '
      + 'by [REDACTED_EMAIL] with [REDACTED] and [REDACTED]');
  });

  it('survives cycles and flattens errors', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ name: 'a', self: '[Circular]' });
    const err = redact({ err: new Error('failed with Bearer abc') }).err as unknown as Record<string, string>;
    expect(err.message).toBe('failed with Bearer [REDACTED]');
  });
});

describe('createLogger', () => {
  const provider = new NodeTracerProvider();
  beforeAll(() => provider.register());
  afterAll(() => provider.shutdown());

  it('writes JSON lines with service, environment, version, request id and the active trace and span ids', async () => {
    const out = capture();
    const logger = createLogger({ ...base, transports: [out.transport] });
    const span = provider.getTracer('test').startSpan('op');
    withRequestContext({ requestId: 'req-1' }, () => {
      context.with(trace.setSpan(context.active(), span), () => logger.info('hello', { answerLength: 12 }));
    });
    span.end();
    await tick();
    const [line] = out.lines();
    expect(line).toMatchObject({
      level: 'info', message: 'hello', service: 'digital-twin-mcp', environment: 'test', version: '1.2.3',
      requestId: 'req-1', trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId, answerLength: 12,
    });
    expect(typeof line.timestamp).toBe('string');
  });

  it('redacts before the transports: captured output, combined.log and error.log hold no secret', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'logs-'));
    const out = capture();
    const logger = createLogger({ ...base, files: { dir }, transports: [out.transport] });
    logger.info('login with Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc', SECRET_META);
    logger.error('upstream refused password=hunter2', { error: new Error('key sk-live-aaaaaaaaaaaaaaaaaaaa rejected') });
    await logger.shutdown(2_000);
    const combined = readFileSync(path.join(dir, 'combined.log'), 'utf8');
    const errors = readFileSync(path.join(dir, 'error.log'), 'utf8');
    expect(combined.trim().split('\n')).toHaveLength(2);
    expect(errors.trim().split('\n').map((l) => JSON.parse(l).level)).toEqual(['error']);
    for (const text of [out.raw(), combined, errors]) {
      expect(text).toContain('[REDACTED]');
      expectNoSecret(text);
    }
  });

  it('logs one line per request with the route template and the echoed request id', async () => {
    const out = capture();
    const logger = createLogger({ ...base, transports: [out.transport] });
    const app = express();
    app.use(requestContextMiddleware());
    app.use(requestLogMiddleware(logger));
    app.get('/api/profile/:id', (_req, res) => { res.json({ ok: true }); });
    const server = await listen(app);
    try {
      await fetch(`${server.url}/api/profile/jane@example.com?token=abc`, { headers: { 'x-request-id': 'r-77' } });
      await eventually(() => out.lines().length === 1, 'the request log line');
      expect(out.lines()[0]).toMatchObject({
        level: 'http', message: 'Request completed', requestId: 'r-77', route: '/api/profile/:id',
        method: 'GET', statusCode: 200, path: '/api/profile/[REDACTED_EMAIL]',
      });
      expect(out.raw()).not.toContain('token=abc');
    } finally {
      await server.close();
    }
  });

  it('reads its settings from the environment', () => {
    const prod = loggerOptionsFromEnv({ NODE_ENV: 'production', APP_VERSION: '2.0.0', ELASTICSEARCH_URL: 'http://es:9200', LOG_DIR: '/var/log/dt' });
    expect(prod).toMatchObject({ environment: 'production', version: '2.0.0', console: 'json', files: { dir: '/var/log/dt' } });
    expect(prod.elasticsearch).toMatchObject({ url: 'http://es:9200', index: 'digitaltwin-logs' });
    expect(loggerOptionsFromEnv({ NODE_ENV: 'development' }).console).toBe('pretty');
    expect(loggerOptionsFromEnv({ NODE_ENV: 'test' })).toMatchObject({ console: false, files: false, elasticsearch: undefined });
  });
});

describe('Elasticsearch transport against the Elasticsearch stand-in (local _bulk server)', () => {
  let es: ElasticsearchStandIn;
  beforeEach(async () => {
    es = await startElasticsearchStandIn();
  });
  afterEach(() => es.close());

  const esOptions = (url: string) => ({ url, index: 'digitaltwin-logs', flushIntervalMs: 20, backoffBaseMs: 10, backoffMaxMs: 50 });

  it('ships redacted entries in bulk with the index action, and moves URL credentials to a header', async () => {
    const url = es.url.replace('http://', 'http://elastic:changeme@');
    const logger = createLogger({ ...base, elasticsearch: esOptions(url) });
    withRequestContext({ requestId: 'req-es' }, () => logger.warn('auth failed for Bearer abcdef', SECRET_META));
    logger.info('second');
    await logger.shutdown(2_000);
    expect(es.docs).toHaveLength(2);
    expect(es.actions[0]).toEqual({ index: { _index: 'digitaltwin-logs' } });
    expect(es.docs[0]).toMatchObject({ level: 'warn', requestId: 'req-es', service: 'digital-twin-mcp', message: 'auth failed for Bearer [REDACTED]' });
    expect(typeof es.docs[0]['@timestamp']).toBe('string');
    expect(es.authorizations[0]).toBe(`Basic ${Buffer.from('elastic:changeme').toString('base64')}`);
    expectNoSecret(JSON.stringify(es.docs));
    expect(logger.elasticsearchStats()).toMatchObject({ sent: 2, dropped: 0, buffered: 0 });
  });

  it('retries with backoff while Elasticsearch answers 503, then delivers every entry exactly once', async () => {
    es.setMode({ kind: 'status', status: 503, times: 2 });
    const logger = createLogger({ ...base, elasticsearch: esOptions(es.url) });
    for (let i = 0; i < 5; i++) logger.info(`entry ${i}`);
    await eventually(() => es.docs.length === 5, 'five delivered entries');
    expect(es.requests).toBeGreaterThanOrEqual(3);
    expect(es.docs.map((d) => d.message)).toEqual(['entry 0', 'entry 1', 'entry 2', 'entry 3', 'entry 4']);
    await logger.shutdown(1_000);
  });

  it('retries items answered 429 and gives up on items answered 400', async () => {
    es.setMode({ kind: 'items', statuses: [201, 429, 400] });
    const logger = createLogger({ ...base, elasticsearch: { ...esOptions(es.url), flushIntervalMs: 60_000 } });
    logger.info('a');
    logger.info('b');
    logger.info('c');
    await tick();
    await logger.shutdown(2_000);
    expect(es.docs.map((d) => d.message)).toEqual(['a', 'b']);
    expect(logger.elasticsearchStats()).toMatchObject({ sent: 2, rejected: 1, dropped: 0 });
  });

  it('keeps a bounded buffer while Elasticsearch is unreachable, dropping and counting the oldest', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const logger = createLogger({ ...base, elasticsearch: { ...esOptions(url), maxBuffer: 5, flushIntervalMs: 60_000 } });
    for (let i = 0; i < 20; i++) logger.info(`entry ${i}`);
    await tick();
    expect(logger.elasticsearchStats()).toMatchObject({ buffered: 5, dropped: 15, sent: 0 });
    await logger.shutdown(200);
  });

  it('never blocks a request when Elasticsearch hangs, and the shutdown flush gives up at its deadline', async () => {
    es.setMode({ kind: 'hang' });
    const logger = createLogger({ ...base, elasticsearch: { ...esOptions(es.url), requestTimeoutMs: 60_000 } });
    const app = express();
    app.use(requestContextMiddleware());
    app.use(requestLogMiddleware(logger));
    app.get('/ping', (_req, res) => {
      logger.info('pong');
      res.json({ ok: true });
    });
    const server = await listen(app);
    try {
      logger.info('warm-up');
      await eventually(() => es.requests >= 1, 'a hanging bulk request');
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${server.url}/ping`);
        expect(res.status).toBe(200);
      }
      await logger.shutdown(100);
      expect(logger.elasticsearchStats()!.buffered).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
