// Groq stand-in: a local HTTP server speaking the OpenAI-compatible chat completions protocol, scripted per test.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply =
  | { status: 200; content: string }
  | { status: number; error: string; retryAfter?: number }
  | { hang: true };

export interface GroqStandIn {
  baseUrl: string;
  requests: Array<{ authorization?: string; body: { model: string; messages: Array<{ role: string; content: string }> } }>;
  /** Replies in order; the last one repeats. */
  script(replies: Reply[]): void;
  close(): Promise<void>;
}

export async function startGroqStandIn(): Promise<GroqStandIn> {
  let replies: Reply[] = [{ status: 200, content: 'I have eleven years of platform engineering experience.' }];
  const requests: GroqStandIn['requests'] = [];
  const hanging = new Set<IncomingMessage>();
  const server: Server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    if (req.method !== 'POST' || req.url !== '/openai/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'unknown route' } }));
      return;
    }
    requests.push({ authorization: req.headers.authorization, body: JSON.parse(raw) });
    const reply = replies.length > 1 ? replies.shift()! : replies[0];
    if ('hang' in reply) {
      hanging.add(req);
      return; // Never answers: the client's timeout must fire.
    }
    if (reply.status === 200 && 'content' in reply) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-standin', object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: requests.at(-1)!.body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: reply.content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if ('retryAfter' in reply && reply.retryAfter !== undefined) headers['retry-after'] = String(reply.retryAfter);
    res.writeHead(reply.status, headers).end(JSON.stringify({ error: { message: 'error' in reply ? reply.error : '', type: 'server_error' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/openai/v1`,
    requests,
    script(next) {
      replies = [...next];
    },
    async close() {
      for (const req of hanging) req.socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
