// The local traffic generator: an MCP client (the official SDK, Streamable HTTP) calling every tool of the app at a
// bounded rate, with repeated and fresh questions so the cache both hits and misses.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface TrafficOptions {
  /** The app's MCP endpoint, e.g. http://127.0.0.1:8080/mcp. */
  url: string;
  apiKey: string;
  /** Calls started per second; capped at 50. */
  ratePerSecond: number;
  /** Calls in flight at once; a slow app (injected latency) lowers the rate rather than piling up. */
  maxInFlight?: number;
}

export interface TrafficStats {
  started: number;
  succeeded: number;
  failed: number;
  byTool: Record<string, number>;
}

const QUESTIONS = [
  'What is your most recent role?',
  'Which programming languages do you know best?',
  'What did you study?',
  'Tell me about a project you are proud of.',
  'How can I contact you?',
];
const SEARCHES = ['kubernetes', 'typescript', 'observability', 'leadership', 'education'];
const SECTIONS = ['summary', 'experience', 'skills', 'education', 'projects'];
/** A section of its own, so the generator never rewrites the real profile. */
export const TRAFFIC_SECTION = 'local-traffic-notes';

type Call = { tool: string; args: Record<string, unknown> };

/** The n-th call of the rotation: every tool; a few questions never asked before (cache misses), most repeated (hits). */
export function callFor(n: number): Call {
  switch (n % 8) {
    case 0:
    case 4:
      return { tool: 'ask_twin', args: { question: QUESTIONS[(n >> 3) % QUESTIONS.length], platform: 'api' } };
    case 1:
      // One question in twelve is new: enough misses to exercise the miss path, hit rate stays above the 80% objective.
      return n % 32 === 1
        ? { tool: 'ask_twin', args: { question: `What would you say about topic number ${n}?`, platform: 'web' } }
        : { tool: 'ask_twin', args: { question: QUESTIONS[(n >> 5) % QUESTIONS.length], platform: 'claude' } };
    case 2:
    case 6:
      return { tool: 'search_profile', args: { query: SEARCHES[(n >> 3) % SEARCHES.length], limit: 3 } };
    case 3:
      return { tool: 'get_profile', args: { section: SECTIONS[(n >> 3) % SECTIONS.length] } };
    case 5:
      return { tool: 'get_profile', args: {} };
    default:
      return n % 40 === 7
        ? { tool: 'update_profile', args: { section: TRAFFIC_SECTION, content: `Local traffic note ${n}: written by the traffic generator.` } }
        : { tool: 'search_profile', args: { query: `unusual words ${n}` } };
  }
}

export class TrafficGenerator {
  readonly stats: TrafficStats = { started: 0, succeeded: 0, failed: 0, byTool: {} };
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private client?: Promise<Client>;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: TrafficOptions) {}

  start(): void {
    if (this.timer) return;
    const rate = Math.min(Math.max(this.options.ratePerSecond, 0.1), 50);
    this.timer = setInterval(() => this.tick(), Math.round(1000 / rate));
  }

  private connect(): Promise<Client> {
    if (!this.client) {
      const client = new Client({ name: 'local-traffic', version: '0.1.0' });
      const transport = new StreamableHTTPClientTransport(new URL(this.options.url), {
        requestInit: { headers: { authorization: `Bearer ${this.options.apiKey}` } },
      });
      this.client = client.connect(transport).then(() => client);
      this.client.catch(() => { this.client = undefined; });
    }
    return this.client;
  }

  private tick(): void {
    if (this.inFlight >= (this.options.maxInFlight ?? 10)) return;
    const { tool, args } = callFor(this.stats.started);
    this.stats.started++;
    this.stats.byTool[tool] = (this.stats.byTool[tool] ?? 0) + 1;
    this.inFlight++;
    const call = this.connect()
      .then((client) => client.callTool({ name: tool, arguments: args }, undefined, { timeout: 30_000 }))
      .then(
        (result) => {
          if (result.isError) this.stats.failed++;
          else this.stats.succeeded++;
        },
        () => {
          // An HTTP error (injected 503) surfaces here; the next call reconnects if the session broke.
          this.stats.failed++;
        },
      )
      .finally(() => {
        this.inFlight--;
        this.pending.delete(call);
      });
    this.pending.add(call);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, 5_000))]);
    const client = this.client;
    this.client = undefined;
    await client?.then((c) => c.close()).catch(() => undefined);
  }
}
