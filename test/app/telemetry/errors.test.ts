// Sentry reporting beside our OpenTelemetry (capturing transport, fake DSN): errors reported, secrets scrubbed.
import * as Sentry from '@sentry/node';
import express from 'express';
import { Writable } from 'node:stream';
import winston from 'winston';
import { errorHandler, errorReportingOptionsFromEnv, initErrorReporting, scrubEvent } from '../../../app/telemetry/errors';
import { createLogger } from '../../../app/telemetry/logger';
import { requestContextMiddleware } from '../../../app/telemetry/requestContext';
import { listen, type Listening } from './httpServer';
import { sentryStandIn } from './sentryStandIn';

const FAKE_DSN = 'https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42';
const SECRETS = ['Bearer-secret-abcdef', 'dt_live_supersecretkey', 'session=cookie-secret', 'hunter2', 'jane@example.com', 'body-secret'];

describe('error reporting with a fake DSN and the Sentry stand-in (capturing transport)', () => {
  const sentry = sentryStandIn();
  const logged: string[] = [];
  let server: Listening;

  beforeAll(async () => {
    const reporting = initErrorReporting({ dsn: FAKE_DSN, release: '4.5.6', environment: 'test', transport: sentry.transport });
    expect(reporting.enabled).toBe(true);
    const logger = createLogger({
      service: 'digital-twin-mcp', environment: 'test', version: '4.5.6', console: false, files: false,
      transports: [new winston.transports.Stream({ stream: new Writable({ write(c, _e, cb) { logged.push(String(c)); cb(); } }) })],
    });
    const app = express();
    app.use(requestContextMiddleware());
    app.use(express.json());
    app.post('/api/profile/:id', () => {
      throw new Error('update failed: password=hunter2 for jane@example.com');
    });
    app.get('/bad', () => {
      throw Object.assign(new Error('bad input'), { status: 400 });
    });
    app.use(errorHandler(logger));
    app.use(((err: Error & { status?: number }, _req, res, _next) => {
      res.status(err.status ?? 500).json({ error: `Bad request: ${err.message}` });
    }) as express.ErrorRequestHandler);
    server = await listen(app);
  });
  afterAll(async () => {
    await server.close();
    await Sentry.close(2_000);
  });

  it('reports the error, logs it with the request id and answers 500 with the request id', async () => {
    const res = await fetch(`${server.url}/api/profile/7`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'err-req-1',
        authorization: 'Bearer Bearer-secret-abcdef',
        'x-api-key': 'dt_live_supersecretkey',
        cookie: 'session=cookie-secret',
        'x-trace-note': 'visible-header',
      },
      body: JSON.stringify({ password: 'hunter2', note: 'body-secret' }),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'Internal server error', requestId: 'err-req-1' });
    await Sentry.flush(2_000);

    const [event] = sentry.events();
    // Sentry did collect the request's headers: the filter, not an empty request, keeps the secrets out.
    const headers = (event.request as { headers: Record<string, string> }).headers;
    expect(headers['x-trace-note']).toBe('visible-header');
    expect(Object.keys(headers)).not.toEqual(expect.arrayContaining(['authorization']));
    expect(event).toMatchObject({ release: '4.5.6', environment: 'test', tags: { request_id: 'err-req-1', route: '/api/profile/:id', method: 'POST' } });
    const exception = (event.exception as { values: Array<{ type: string; value: string }> }).values[0];
    expect(exception.type).toBe('Error');
    expect(exception.value).toBe('update failed: password=[REDACTED] for [REDACTED_EMAIL]');

    const logLine = logged.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'Unhandled error');
    expect(logLine).toMatchObject({ level: 'error', requestId: 'err-req-1', route: '/api/profile/:id' });

    for (const text of [sentry.envelopes.join('\n'), logged.join('\n')]) {
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    }
  });

  it('leaves client errors to the next handler and reports nothing', async () => {
    const before = sentry.events().length;
    const res = await fetch(`${server.url}/bad`);
    expect(res.status).toBe(400);
    await Sentry.flush(2_000);
    expect(sentry.events()).toHaveLength(before);
  });
});

describe('scrubEvent', () => {
  it('removes secret headers, cookies, bodies and query strings, and keeps only the user id', () => {
    const event = scrubEvent({
      type: undefined,
      request: {
        url: 'https://twin.example/mcp?api_key=abc123',
        headers: { Authorization: 'Bearer x', 'X-API-Key': 'k', Cookie: 'c=1', 'user-agent': 'jest' },
        cookies: { c: '1' }, data: { password: 'p' }, query_string: 'api_key=abc123',
      },
      user: { id: 'u1', email: 'jane@example.com', ip_address: '10.0.0.1' },
      extra: { token: 'tok', note: 'call with Bearer abc' },
    });
    expect(event.request).toEqual({ url: 'https://twin.example/mcp?api_key=[REDACTED]', headers: { 'user-agent': 'jest' } });
    expect(event.user).toEqual({ id: 'u1' });
    expect(event.extra).toEqual({ token: '[REDACTED]', note: 'call with Bearer [REDACTED]' });
  });
});

describe('errorReportingOptionsFromEnv', () => {
  it('enables Sentry only when SENTRY_DSN is set', () => {
    expect(errorReportingOptionsFromEnv({}).dsn).toBeUndefined();
    expect(errorReportingOptionsFromEnv({ SENTRY_DSN: '' }).dsn).toBeUndefined();
    expect(initErrorReporting(errorReportingOptionsFromEnv({ NODE_ENV: 'test' })).enabled).toBe(false);
    expect(errorReportingOptionsFromEnv({ SENTRY_DSN: FAKE_DSN, APP_VERSION: '1.0.0', NODE_ENV: 'production' }))
      .toEqual({ dsn: FAKE_DSN, release: '1.0.0', environment: 'production' });
  });
});
