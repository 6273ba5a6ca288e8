// GroqClient against a Groq stand-in (local HTTP server speaking chat completions): success, 429 then success, timeout, 500.

import { GroqClient, LlmError } from '../../../app/twin/groq-client';
import { startGroqStandIn, type GroqStandIn } from '../support/groq-stand-in';

const API_KEY = 'gsk_test_secret_value_123456';
let groq: GroqStandIn;

beforeAll(async () => {
  groq = await startGroqStandIn();
});
afterAll(() => groq.close());
beforeEach(() => {
  groq.requests.length = 0;
});

const client = (overrides: Partial<ConstructorParameters<typeof GroqClient>[0]> = {}) =>
  new GroqClient({ apiKey: API_KEY, model: 'llama-3.3-70b-versatile', baseUrl: groq.baseUrl, timeoutMs: 2000, maxRetries: 2, backoffMs: 5, ...overrides });

test('Groq stand-in: success returns the message content and sends model, messages and the bearer key', async () => {
  groq.script([{ status: 200, content: '  I lead the platform team.  ' }]);
  const text = await client().complete([{ role: 'user', content: 'hi' }]);
  expect(text).toBe('I lead the platform team.');
  expect(groq.requests).toHaveLength(1);
  expect(groq.requests[0].authorization).toBe(`Bearer ${API_KEY}`);
  expect(groq.requests[0].body.model).toBe('llama-3.3-70b-versatile');
  expect(groq.requests[0].body.messages).toEqual([{ role: 'user', content: 'hi' }]);
});

test('Groq stand-in: 429 then success retries and succeeds', async () => {
  groq.script([{ status: 429, error: 'Rate limit reached', retryAfter: 0 }, { status: 200, content: 'second time lucky' }]);
  await expect(client().complete([{ role: 'user', content: 'hi' }])).resolves.toBe('second time lucky');
  expect(groq.requests).toHaveLength(2);
});

test('Groq stand-in: a request that never answers times out on every attempt with a clear error', async () => {
  groq.script([{ hang: true }]);
  const err = await client({ timeoutMs: 150, maxRetries: 1 }).complete([{ role: 'user', content: 'hi' }]).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(LlmError);
  expect((err as Error).message).toBe('Groq chat completion failed after 2 attempts: no response within 150 ms');
  expect(groq.requests).toHaveLength(2);
});

test('Groq stand-in: 500 on every attempt stops after the retry budget, naming the status and provider message', async () => {
  groq.script([{ status: 500, error: 'Internal server error' }]);
  const err = (await client().complete([{ role: 'user', content: 'hi' }]).catch((e: unknown) => e)) as LlmError;
  expect(err.message).toBe('Groq chat completion failed after 3 attempts: HTTP 500: Internal server error');
  expect(err.status).toBe(500);
  expect(groq.requests).toHaveLength(3);
  expect(err.message).not.toContain(API_KEY);
});

test('Groq stand-in: 401 is not retried', async () => {
  groq.script([{ status: 401, error: 'Invalid API Key' }]);
  const err = (await client().complete([{ role: 'user', content: 'hi' }]).catch((e: unknown) => e)) as LlmError;
  expect(err.message).toBe('Groq chat completion failed: HTTP 401: Invalid API Key');
  expect(groq.requests).toHaveLength(1);
});

test('an unreachable endpoint is reported without the key', async () => {
  const err = (await client({ baseUrl: 'http://127.0.0.1:9/openai/v1', maxRetries: 0 }).complete([{ role: 'user', content: 'hi' }]).catch((e: unknown) => e)) as LlmError;
  expect(err.message).toBe('Groq chat completion failed: the API could not be reached');
});
