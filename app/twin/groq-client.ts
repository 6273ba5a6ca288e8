// Groq's OpenAI-compatible chat completions client: timeout per attempt, bounded retries with backoff on 429/5xx.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GroqOptions {
  apiKey: string;
  model: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  /** First backoff delay; doubles per retry, capped at 8 s, overridden by a shorter Retry-After. */
  backoffMs?: number;
  fetchImpl?: typeof fetch;
}

export class LlmError extends Error {
  override name = 'LlmError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

const MAX_BACKOFF_MS = 8000;

export class GroqClient {
  private readonly fetchImpl: typeof fetch;
  private readonly url: string;

  constructor(private readonly options: GroqOptions) {
    this.fetchImpl = options.fetchImpl ?? fetch;
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  get model(): string {
    return this.options.model;
  }

  async complete(messages: ChatMessage[], maxTokens = 512): Promise<string> {
    const attempts = this.options.maxRetries + 1;
    let lastProblem = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const outcome = await this.attempt(messages, maxTokens);
      if (outcome.kind === 'ok') return outcome.text;
      lastProblem = outcome.problem;
      if (!outcome.retryable || attempt === attempts) {
        const tries = attempt === 1 ? '' : ` after ${attempt} attempts`;
        throw new LlmError(`Groq chat completion failed${tries}: ${lastProblem}`, outcome.status);
      }
      await sleep(this.backoff(attempt, outcome.retryAfterMs));
    }
    throw new LlmError(`Groq chat completion failed: ${lastProblem}`);
  }

  private backoff(attempt: number, retryAfterMs?: number): number {
    const base = this.options.backoffMs ?? 250;
    const exponential = Math.min(MAX_BACKOFF_MS, base * 2 ** (attempt - 1));
    return retryAfterMs !== undefined ? Math.min(MAX_BACKOFF_MS, retryAfterMs) : exponential;
  }

  private async attempt(
    messages: ChatMessage[],
    maxTokens: number,
  ): Promise<{ kind: 'ok'; text: string } | { kind: 'fail'; problem: string; retryable: boolean; status?: number; retryAfterMs?: number }> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: this.options.model, messages, temperature: 0.2, max_tokens: maxTokens }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
      return timedOut
        ? { kind: 'fail', problem: `no response within ${this.options.timeoutMs} ms`, retryable: true }
        : { kind: 'fail', problem: 'the API could not be reached', retryable: true };
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (response.ok) {
      const text = (body as { choices?: Array<{ message?: { content?: unknown } }> })?.choices?.[0]?.message?.content;
      if (typeof text !== 'string' || !text.trim()) {
        return { kind: 'fail', problem: 'the response held no message content', retryable: false, status: response.status };
      }
      return { kind: 'ok', text: text.trim() };
    }
    const providerMessage = (body as { error?: { message?: unknown } })?.error?.message;
    const detail = typeof providerMessage === 'string' ? `: ${providerMessage.slice(0, 200)}` : '';
    const retryable = response.status === 429 || response.status >= 500;
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      kind: 'fail',
      problem: `HTTP ${response.status}${detail}`,
      retryable,
      status: response.status,
      retryAfterMs: Number.isFinite(retryAfter) && retryAfter >= 0 && response.headers.has('retry-after') ? retryAfter * 1000 : undefined,
    };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
