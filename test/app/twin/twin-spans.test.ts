// Trace spans of ask_twin (digital-twin-query > vector-search, llm-generation), recorded with the in-memory exporter.

import { randomBytes } from 'node:crypto';
import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { questionHash } from '../../../app/twin/digital-twin';
import { startGroqStandIn, type GroqStandIn } from '../support/groq-stand-in';
import { ADMIN_KEY, connectClient, startTwin, type RunningTwin } from '../support/harness';
import { dropSchema } from '../support/pg-schema';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `dt_test_spans_${process.pid}_${randomBytes(4).toString('hex')}`;
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let groq: GroqStandIn;
let twin: RunningTwin;

beforeAll(async () => {
  provider.register();
  groq = await startGroqStandIn();
  twin = await startTwin({ env: { DATABASE_URL, DATABASE_SCHEMA: schema, GROQ_API_KEY: 'gsk_span_test_key_1234567890', GROQ_BASE_URL: groq.baseUrl, GROQ_MAX_RETRIES: '0' } });
}, 60_000);

afterAll(async () => {
  await twin?.close();
  await groq?.close();
  await provider.shutdown();
  await dropSchema(DATABASE_URL, schema);
});

beforeEach(() => exporter.reset());

const QUESTION = 'What did you change about on-call paging at Northwind?';

test('ask_twin makes a digital-twin-query span with vector-search and llm-generation children, without the question text', async () => {
  groq.script([{ status: 200, content: 'I cut pages by 70 percent with burn-rate alerts.' }]);
  const client = await connectClient(twin.mcpUrl, ADMIN_KEY);
  await client.callTool({ name: 'ask_twin', arguments: { question: QUESTION, platform: 'web' } });
  await client.close();

  const spans = exporter.getFinishedSpans();
  const query = spans.find((s) => s.name === 'digital-twin-query')!;
  const vector = spans.find((s) => s.name === 'vector-search')!;
  const llm = spans.find((s) => s.name === 'llm-generation')!;
  expect(query && vector && llm).toBeTruthy();
  expect(vector.parentSpanContext?.spanId).toBe(query.spanContext().spanId);
  expect(llm.parentSpanContext?.spanId).toBe(query.spanContext().spanId);
  expect(query.attributes).toMatchObject({
    'question.length': QUESTION.length, 'question.hash': questionHash(QUESTION), 'results.count': 5,
    'response.length': 'I cut pages by 70 percent with burn-rate alerts.'.length, 'query.platform': 'web', 'cache.hit': false,
  });
  expect(vector.attributes['results.count']).toBe(5);
  expect(llm.attributes).toMatchObject({ 'llm.mode': 'groq' });
  expect(query.status.code).toBe(SpanStatusCode.OK);
  const everything = JSON.stringify(spans.map((s) => ({ a: s.attributes, e: s.events, st: s.status })));
  expect(everything).not.toContain('on-call paging');
  expect(everything).not.toContain('gsk_span_test_key');
});

test('a Groq failure records the exception and ERROR status on llm-generation and digital-twin-query', async () => {
  groq.script([{ status: 503, error: 'over capacity' }]);
  const client = await connectClient(twin.mcpUrl, ADMIN_KEY);
  const result = await client.callTool({ name: 'ask_twin', arguments: { question: 'Which certifications do you hold?' } });
  await client.close();
  expect(result.isError).toBe(true);
  for (const name of ['llm-generation', 'digital-twin-query']) {
    const span = exporter.getFinishedSpans().find((s) => s.name === name)!;
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'Groq chat completion failed: HTTP 503: over capacity' });
    expect(span.events.map((e) => e.name)).toContain('exception');
  }
});
