// Local stand-ins for PagerDuty's Events API v2 and Slack's incoming webhooks, on one loopback HTTP port:
// Alertmanager's real pagerduty_configs and slack_configs deliver to them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { statusOfTitle, type DeliveryLog } from './deliveries';

export const PAGERDUTY_PATH = '/v2/enqueue';
export const SLACK_PATH_PREFIX = '/slack/';
const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpSinkSecrets {
  /** The routing key Alertmanager reads from its secret file; events with another key are refused (400, as PagerDuty does). */
  pagerdutyRoutingKey: string;
  /** The secret last path segment of the Slack webhook URL. */
  slackToken: string;
}

export interface HttpSinks {
  server: Server;
  port: number;
  pagerdutyUrl: string;
  slackWebhookUrl: string;
  close(): Promise<void>;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body larger than 1 MB'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new Error('body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export async function startHttpSinks(port: number, secrets: HttpSinkSecrets, log: DeliveryLog): Promise<HttpSinks> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST') return reply(res, 405, { message: 'POST only' });
    readJson(req).then(
      (body) => {
        const b = obj(body);
        if (path === PAGERDUTY_PATH) {
          if (!same(str(b.routing_key), secrets.pagerdutyRoutingKey)) return reply(res, 400, { status: 'invalid event', message: 'unknown routing_key' });
          const action = str(b.event_action);
          if (!['trigger', 'resolve', 'acknowledge'].includes(action)) return reply(res, 400, { status: 'invalid event', message: 'event_action must be trigger, acknowledge or resolve' });
          const payload = obj(b.payload);
          log.record({
            sink: 'pagerduty',
            status: action === 'resolve' ? 'resolved' : 'firing',
            target: str(b.dedup_key),
            title: str(payload.summary),
            severity: str(payload.severity) || undefined,
          });
          return reply(res, 202, { status: 'success', message: 'Event processed', dedup_key: str(b.dedup_key) });
        }
        if (path.startsWith(SLACK_PATH_PREFIX)) {
          if (!same(path.slice(SLACK_PATH_PREFIX.length), secrets.slackToken)) return reply(res, 404, { message: 'no_service' });
          const attachment = obj(Array.isArray(b.attachments) ? b.attachments[0] : undefined);
          const title = str(attachment.title) || str(b.text);
          log.record({ sink: 'slack', status: statusOfTitle(title), target: str(b.channel), title });
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end('ok');
        }
        return reply(res, 404, { message: `no sink at ${path.slice(0, 60)}` });
      },
      (err: Error) => reply(res, 400, { message: err.message }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${bound}`;
  return {
    server,
    port: bound,
    pagerdutyUrl: `${base}${PAGERDUTY_PATH}`,
    slackWebhookUrl: `${base}${SLACK_PATH_PREFIX}${secrets.slackToken}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
