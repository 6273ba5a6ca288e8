// ask_twin end to end with answers from a Groq stand-in (local chat-completions server), and extractive mode without it.

import { openPglite } from '../../app/store/pglite-db';
import type { Db } from '../../app/store/db';
import { startGroqStandIn, type GroqStandIn } from './support/groq-stand-in';
import { ADMIN_KEY, connectClient, startTwin, textOf, type RunningTwin } from './support/harness';

const GROQ_KEY = 'gsk_secret_for_tests_9f8e7d6c5b4a';
let db: Db;
let groq: GroqStandIn;
let twin: RunningTwin;

beforeAll(async () => {
  db = await openPglite('memory://');
  groq = await startGroqStandIn();
  twin = await startTwin({ db, env: { GROQ_API_KEY: GROQ_KEY, GROQ_BASE_URL: groq.baseUrl, GROQ_TIMEOUT_MS: '300', GROQ_MAX_RETRIES: '1' } });
}, 60_000);

afterAll(async () => {
  await twin?.close();
  await groq?.close();
  await db?.close();
});

type Ask = { structuredContent?: { answer: string; mode: string; sources: Array<{ section: string }> }; isError?: boolean };

test('Groq stand-in: ask_twin returns the model answer with the retrieved sections, prompting with profile excerpts', async () => {
  groq.script([{ status: 200, content: 'I studied computer science at Chalmers, where my thesis was on tail latency.' }]);
  const client = await connectClient(twin.mcpUrl, ADMIN_KEY);
  const result = (await client.callTool({ name: 'ask_twin', arguments: { question: 'Where did you study?' } })) as Ask;
  expect(result.structuredContent!.mode).toBe('groq');
  expect(result.structuredContent!.answer).toBe('I studied computer science at Chalmers, where my thesis was on tail latency.');
  expect(result.structuredContent!.sources[0].section).toBe('education');
  const prompt = groq.requests.at(-1)!.body.messages;
  expect(prompt[0].content).toMatch(/first person/);
  expect(prompt[1].content).toContain('Chalmers');
  expect(prompt[1].content).toContain('Question: Where did you study?');
  await client.close();
});

test('Groq stand-in: 429 then success still answers', async () => {
  groq.script([{ status: 429, error: 'Rate limit reached', retryAfter: 0 }, { status: 200, content: 'I work remotely from Gothenburg.' }]);
  const client = await connectClient(twin.mcpUrl, ADMIN_KEY);
  const result = (await client.callTool({ name: 'ask_twin', arguments: { question: 'Where are you based?' } })) as Ask;
  expect(result.structuredContent!.answer).toBe('I work remotely from Gothenburg.');
  await client.close();
});

test('Groq stand-in: 500 and timeouts become a clear tool error, a failed analytics event and an llm error count', async () => {
  const client = await connectClient(twin.mcpUrl, ADMIN_KEY);
  groq.script([{ status: 500, error: 'upstream exploded' }]);
  const failed = await client.callTool({ name: 'ask_twin', arguments: { question: 'What do you do on call?' } });
  expect(failed.isError).toBe(true);
  expect(textOf(failed)).toBe('Groq chat completion failed after 2 attempts: HTTP 500: upstream exploded');

  groq.script([{ hang: true }]);
  const timedOut = await client.callTool({ name: 'ask_twin', arguments: { question: 'Which database migration did you lead?' } });
  expect(textOf(timedOut)).toBe('Groq chat completion failed after 2 attempts: no response within 300 ms');
  expect(twin.observer.count('error:llm:high')).toBe(2);
  expect(twin.observer.count('tool:ask_twin:error')).toBe(2);

  const rows = await db.query<{ success: boolean }>(`SELECT success FROM query_events WHERE tool = 'ask_twin' ORDER BY id DESC LIMIT 2`);
  expect(rows.map((r) => r.success)).toEqual([false, false]);
  // A failure is never cached: the next call goes to the model again.
  groq.script([{ status: 200, content: 'PostgreSQL, tuned carefully.' }]);
  const recovered = (await client.callTool({ name: 'ask_twin', arguments: { question: 'Which database migration did you lead?' } })) as Ask;
  expect(recovered.structuredContent!.answer).toBe('PostgreSQL, tuned carefully.');
  await client.close();
});

test('the Groq key never appears in the stored data or the tool results', async () => {
  const dump = JSON.stringify(await db.query('SELECT * FROM query_events')) + JSON.stringify(await db.query('SELECT * FROM api_keys'));
  expect(dump).not.toContain(GROQ_KEY);
  expect(dump).not.toContain(ADMIN_KEY);
});
