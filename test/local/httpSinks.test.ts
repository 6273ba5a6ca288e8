// The PagerDuty Events v2 and Slack webhook stand-ins: what they accept, what they refuse, and that no secret is logged.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryLog } from '../../infra/local/sinks/deliveries';
import { startHttpSinks, type HttpSinks } from '../../infra/local/sinks/httpSinks';

const secrets = { pagerdutyRoutingKey: 'routing-key-0123456789abcdef0123', slackToken: 'T000/B000/slack-secret-token' };
const file = join(mkdtempSync(join(tmpdir(), 'sinks-')), 'sinks.log');
const log = new DeliveryLog(file);
let sinks: HttpSinks;

beforeAll(async () => {
  sinks = await startHttpSinks(0, secrets, log);
});
afterAll(() => sinks.close());

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('a PagerDuty trigger and resolve with the right routing key are accepted with 202 and recorded', async () => {
  const trigger = await post(sinks.pagerdutyUrl, {
    routing_key: secrets.pagerdutyRoutingKey, event_action: 'trigger', dedup_key: 'abc',
    payload: { summary: '[FIRING:1] ErrorBudgetBurn digital-twin-mcp availability', severity: 'critical', source: 'x' },
  });
  expect(trigger.status).toBe(202);
  expect(await trigger.json()).toMatchObject({ status: 'success', dedup_key: 'abc' });
  const resolve = await post(sinks.pagerdutyUrl, { routing_key: secrets.pagerdutyRoutingKey, event_action: 'resolve', dedup_key: 'abc', payload: { summary: '[RESOLVED] x' } });
  expect(resolve.status).toBe(202);
  expect(log.all().map((d) => [d.sink, d.status, d.severity])).toEqual([['pagerduty', 'firing', 'critical'], ['pagerduty', 'resolved', undefined]]);
});

test('PagerDuty events with a wrong routing key or action are refused with 400', async () => {
  expect((await post(sinks.pagerdutyUrl, { routing_key: 'wrong', event_action: 'trigger', payload: {} })).status).toBe(400);
  expect((await post(sinks.pagerdutyUrl, { routing_key: secrets.pagerdutyRoutingKey, event_action: 'explode', payload: {} })).status).toBe(400);
  const bad = await fetch(sinks.pagerdutyUrl, { method: 'POST', body: '{not json' });
  expect(bad.status).toBe(400);
});

test('Slack messages on the secret webhook path are recorded with their channel; other paths are 404', async () => {
  const ok = await post(sinks.slackWebhookUrl, { channel: '#alerts-critical', attachments: [{ title: '[RESOLVED] ErrorBudgetBurn digital-twin-mcp availability', text: 'x' }] });
  expect(ok.status).toBe(200);
  expect(log.all().at(-1)).toMatchObject({ sink: 'slack', status: 'resolved', target: '#alerts-critical' });
  expect((await post(sinks.slackWebhookUrl.replace('slack-secret-token', 'guess'), { channel: '#x' })).status).toBe(404);
});

test('the sinks log holds one JSON line per delivery and never a routing key or webhook token', () => {
  const text = readFileSync(file, 'utf8');
  expect(text.trim().split('\n').map((l) => JSON.parse(l).sink)).toEqual(['pagerduty', 'pagerduty', 'slack']);
  expect(text).not.toContain(secrets.pagerdutyRoutingKey);
  expect(text).not.toContain('slack-secret-token');
});
