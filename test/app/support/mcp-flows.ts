// The MCP flows every store/cache combination must pass, driven by the official SDK client over HTTP.

import { EXTRACTIVE_PREFIX } from '../../../app/twin/answer';
import { ADMIN_KEY, connectClient, createKey, rawMcp, storeSnapshot, textOf, type RunningTwin } from './harness';

type Structured<T> = { structuredContent?: T; isError?: boolean };
type AskOut = { answer: string; mode: string; cached: boolean; sources: Array<{ section: string; chunkId: string; score: number }> };
type SearchOut = { results: Array<{ section: string; chunkId: string; score: number; text: string }> };

export function defineMcpFlows(twin: () => RunningTwin): void {
  describe('MCP tools over Streamable HTTP (official SDK client)', () => {
    test('lists the four tools with their input schemas', async () => {
      const client = await connectClient(twin().mcpUrl, ADMIN_KEY);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['ask_twin', 'get_profile', 'search_profile', 'update_profile']);
      const ask = tools.find((t) => t.name === 'ask_twin')!;
      expect(ask.inputSchema.required).toEqual(['question']);
      expect((ask.inputSchema.properties as Record<string, { maxLength?: number }>).question.maxLength).toBe(2000);
      await client.close();
    });

    test('ask_twin answers in the first person, says it is extractive, cites sections and caches the answer', async () => {
      const { key } = await createKey(twin().baseUrl, { scope: 'read', tier: 'pro', userId: 'flow-ask' });
      const client = await connectClient(twin().mcpUrl, key);
      const before = await twin().services.events.count();
      const question = `Where did you study computer science? (${Date.now()})`;
      const first = (await client.callTool({ name: 'ask_twin', arguments: { question, platform: 'claude' } })) as Structured<AskOut>;
      expect(first.isError).toBeFalsy();
      const out = first.structuredContent!;
      expect(out.mode).toBe('extractive');
      expect(out.answer.startsWith(EXTRACTIVE_PREFIX)).toBe(true);
      expect(out.answer).toMatch(/\bI\b|\bMy\b/);
      expect(out.sources[0].section).toBe('education');
      expect(textOf(first)).toContain('Sources: education');
      expect(out.cached).toBe(false);

      const hitsBefore = twin().observer.count('cacheHit:L1');
      const second = (await client.callTool({ name: 'ask_twin', arguments: { question, platform: 'claude' } })) as Structured<AskOut>;
      expect(second.structuredContent!.cached).toBe(true);
      expect(second.structuredContent!.answer).toBe(out.answer);
      expect(twin().observer.count('cacheHit:L1')).toBe(hitsBefore + 1);
      expect(twin().observer.count('query:claude:pro')).toBeGreaterThanOrEqual(2);
      expect(twin().observer.count('tool:ask_twin:success')).toBeGreaterThanOrEqual(2);

      expect(await twin().services.events.count()).toBe(before + 2);
      const rows = await twin().services.db.query<{ user_id: string; platform: string; tier: string; success: boolean; results_count: number }>(
        `SELECT user_id, platform, tier, success, results_count FROM query_events WHERE user_id = 'flow-ask'`,
      );
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.platform === 'claude' && r.tier === 'pro' && r.success && r.results_count > 0)).toBe(true);
      await client.close();
    });

    test('search_profile returns the best chunks with descending scores, up to the limit', async () => {
      const client = await connectClient(twin().mcpUrl, ADMIN_KEY);
      const result = (await client.callTool({ name: 'search_profile', arguments: { query: 'Prometheus burn-rate alerting SLO', limit: 3 } })) as Structured<SearchOut>;
      const hits = result.structuredContent!.results;
      expect(hits.length).toBe(3);
      expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
      expect(hits.some((h) => /burn-rate/i.test(h.text))).toBe(true);
      await client.close();
    });

    test('get_profile returns all sections, one section, and a clear error for an unknown one', async () => {
      const client = await connectClient(twin().mcpUrl, ADMIN_KEY);
      const all = (await client.callTool({ name: 'get_profile', arguments: {} })) as Structured<{ sections: Array<{ section: string }> }>;
      expect(all.structuredContent!.sections.map((s) => s.section)).toEqual(
        expect.arrayContaining(['contact-preferences', 'education', 'experience', 'projects', 'skills', 'summary']),
      );
      const one = await client.callTool({ name: 'get_profile', arguments: { section: 'skills' } });
      expect(textOf(one)).toContain('Prometheus and PromQL');
      const unknown = await client.callTool({ name: 'get_profile', arguments: { section: 'hobbies' } });
      expect(unknown.isError).toBe(true);
      expect(textOf(unknown)).toMatch(/Unknown profile section "hobbies"; sections: .*summary/);
      await client.close();
    });

    test('update_profile with a write key stores a revision, re-indexes the section and invalidates cached answers', async () => {
      const { key } = await createKey(twin().baseUrl, { scope: 'write', tier: 'enterprise' });
      const client = await connectClient(twin().mcpUrl, key);
      const question = 'Which languages do you speak?';
      const before = (await client.callTool({ name: 'ask_twin', arguments: { question } })) as Structured<AskOut>;
      expect(before.structuredContent!.answer).not.toContain('Portuguese');
      const revisionsBefore = (await twin().services.profiles.history('languages')).length;

      const content = `# Languages\n\nI speak Swedish and English fluently, and conversational Portuguese (${Date.now()}).`;
      const updated = await client.callTool({ name: 'update_profile', arguments: { section: 'languages', content } });
      expect(updated.isError).toBeFalsy();
      expect(textOf(updated)).toMatch(/Updated section "languages" to revision \d+ \(1 chunks indexed\)/);
      expect((await twin().services.profiles.history('languages')).length).toBe(revisionsBefore + 1);

      const after = (await client.callTool({ name: 'ask_twin', arguments: { question } })) as Structured<AskOut>;
      expect(after.structuredContent!.cached).toBe(false);
      expect(after.structuredContent!.answer).toContain('conversational Portuguese');
      expect(after.structuredContent!.sources[0].section).toBe('languages');

      const replaced = `# Languages\n\nI speak Swedish, English and German (${Date.now()}).`;
      await client.callTool({ name: 'update_profile', arguments: { section: 'languages', content: replaced } });
      const search = (await client.callTool({ name: 'search_profile', arguments: { query: 'Portuguese', limit: 20 } })) as Structured<SearchOut>;
      expect(search.structuredContent!.results.some((r) => r.text.includes('Portuguese'))).toBe(false);
      expect(twin().observer.count('profileUpdated')).toBeGreaterThanOrEqual(2);
      await client.close();
    });

    test('two clients with different keys call tools concurrently and each gets its own answers', async () => {
      const a = await createKey(twin().baseUrl, { scope: 'read', tier: 'free', userId: 'concurrent-a' });
      const b = await createKey(twin().baseUrl, { scope: 'read', tier: 'enterprise', userId: 'concurrent-b' });
      const [ca, cb] = await Promise.all([connectClient(twin().mcpUrl, a.key, 'client-a'), connectClient(twin().mcpUrl, b.key, 'client-b')]);
      const calls = await Promise.all([
        ca.callTool({ name: 'ask_twin', arguments: { question: 'What certifications do you hold?', platform: 'cursor' } }),
        cb.callTool({ name: 'ask_twin', arguments: { question: 'What are your contact preferences and time zone?', platform: 'vscode' } }),
        ca.callTool({ name: 'search_profile', arguments: { query: 'Kubernetes cost exporter' } }),
        cb.callTool({ name: 'get_profile', arguments: { section: 'summary' } }),
      ]);
      expect(calls.every((c) => !c.isError)).toBe(true);
      expect((calls[0] as Structured<AskOut>).structuredContent!.sources[0].section).toBe('education');
      expect((calls[1] as Structured<AskOut>).structuredContent!.sources[0].section).toBe('contact-preferences');
      const users = await twin().services.db.query<{ user_id: string; tier: string }>(
        `SELECT DISTINCT user_id, tier FROM query_events WHERE user_id IN ('concurrent-a', 'concurrent-b') ORDER BY user_id`,
      );
      expect(users).toEqual([{ user_id: 'concurrent-a', tier: 'free' }, { user_id: 'concurrent-b', tier: 'enterprise' }]);
      await Promise.all([ca.close(), cb.close()]);
    });

    test('a second client on the same server after the first has closed', async () => {
      const first = await connectClient(twin().mcpUrl, ADMIN_KEY);
      await first.callTool({ name: 'get_profile', arguments: { section: 'education' } });
      await first.close();
      const second = await connectClient(twin().mcpUrl, ADMIN_KEY);
      const result = await second.callTool({ name: 'get_profile', arguments: { section: 'education' } });
      expect(textOf(result)).toContain('Chalmers');
      await second.close();
    });
  });

  describe('bad input gets a clear error and leaves the store unchanged', () => {
    let readKey: { id: string; key: string };
    let revoked: { id: string; key: string };

    beforeAll(async () => {
      readKey = await createKey(twin().baseUrl, { scope: 'read', tier: 'free' });
      revoked = await createKey(twin().baseUrl, { scope: 'write', tier: 'pro' });
      const res = await fetch(`${twin().baseUrl}/admin/keys/${revoked.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      expect(res.status).toBe(200);
    });

    const unchanged = async (action: () => Promise<void>) => {
      const before = await storeSnapshot(twin().services.db);
      await action();
      expect(await storeSnapshot(twin().services.db)).toEqual(before);
    };

    test('malformed JSON is a JSON-RPC parse error (HTTP 400)', () =>
      unchanged(async () => {
        const res = await rawMcp(twin().mcpUrl, '{"jsonrpc": "2.0", "id": 1, "method": ');
        expect(res.status).toBe(400);
        expect(res.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: the request body is not valid JSON' } });
      }));

    test('valid JSON that is not a JSON-RPC message is rejected by the transport (HTTP 400)', () =>
      unchanged(async () => {
        const res = await rawMcp(twin().mcpUrl, JSON.stringify({ hello: 'world' }));
        expect(res.status).toBe(400);
        expect(res.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32700, message: expect.stringMatching(/Invalid JSON-RPC message/) } });
      }));

    test('an unknown tool is an MCP error naming the tool', () =>
      unchanged(async () => {
        const client = await connectClient(twin().mcpUrl, ADMIN_KEY);
        const before = twin().observer.count('tool:other:error');
        const result = await client.callTool({ name: 'delete_everything', arguments: {} });
        expect(result.isError).toBe(true);
        expect(textOf(result)).toContain('Tool delete_everything not found');
        expect(twin().observer.count('tool:other:error')).toBe(before + 1);
        await client.close();
      }));

    test('missing and wrongly typed arguments name the argument', () =>
      unchanged(async () => {
        const client = await connectClient(twin().mcpUrl, ADMIN_KEY);
        const missing = await client.callTool({ name: 'ask_twin', arguments: {} });
        expect(missing.isError).toBe(true);
        expect(textOf(missing)).toMatch(/Invalid arguments for tool ask_twin: question must be a string at question/);
        const wrongType = await client.callTool({ name: 'search_profile', arguments: { query: 'kubernetes', limit: 'ten' } });
        expect(textOf(wrongType)).toMatch(/limit must be a number at limit/);
        const badSection = await client.callTool({ name: 'update_profile', arguments: { section: '../etc/passwd', content: 'x' } });
        expect(textOf(badSection)).toMatch(/section must be lower-case letters/);
        await client.close();
      }));

    test('a question over the size limit is rejected with the limit in the message', () =>
      unchanged(async () => {
        const client = await connectClient(twin().mcpUrl, ADMIN_KEY);
        const result = await client.callTool({ name: 'ask_twin', arguments: { question: 'why '.repeat(501) } });
        expect(result.isError).toBe(true);
        expect(textOf(result)).toContain('question must be at most 2,000 characters');
        await client.close();
      }));

    test('no key is HTTP 401 with a JSON-RPC error the client reports', () =>
      unchanged(async () => {
        await expect(connectClient(twin().mcpUrl, undefined)).rejects.toMatchObject({
          code: 401,
          message: expect.stringContaining('Unauthorized: send an API key as \\"Authorization: Bearer KEY\\"'),
        });
        const res = await rawMcp(twin().mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), null);
        expect(res.status).toBe(401);
      }));

    test('a revoked key is HTTP 401', () =>
      unchanged(async () => {
        await expect(connectClient(twin().mcpUrl, revoked.key)).rejects.toMatchObject({
          code: 401,
          message: expect.stringContaining('Unauthorized: the API key is unknown or has been revoked'),
        });
      }));

    test('a read key calling update_profile is refused and the profile keeps its revision', () =>
      unchanged(async () => {
        const client = await connectClient(twin().mcpUrl, readKey.key);
        const result = await client.callTool({ name: 'update_profile', arguments: { section: 'summary', content: 'I am someone else.' } });
        expect(result.isError).toBe(true);
        expect(textOf(result)).toBe('Forbidden: update_profile needs an API key with write scope; this key has read scope');
        await client.close();
      }));

    test('a read key cannot reach the admin API', () =>
      unchanged(async () => {
        const res = await fetch(`${twin().baseUrl}/admin/keys`, {
          method: 'POST',
          headers: { authorization: `Bearer ${readKey.key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ scope: 'admin' }),
        });
        expect(res.status).toBe(403);
        expect(await res.json()).toEqual({ error: 'Forbidden: this endpoint needs a key with admin scope; this key has read scope' });
      }));
  });
}
