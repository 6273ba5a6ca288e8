// A winston transport shipping log entries to Elasticsearch over the `_bulk` HTTP API.
// Logging never waits for Elasticsearch: entries go to a bounded buffer (oldest dropped and counted when full),
// a background loop sends batches and retries with backoff, and `flush()` drains what it can on shutdown.
import TransportStream from 'winston-transport';

export interface ElasticsearchTransportOptions {
  /** Base URL, e.g. `http://elasticsearch:9200`; credentials in the URL are moved to an Authorization header. */
  url: string;
  index: string;
  username?: string;
  password?: string;
  apiKey?: string;
  level?: string;
  /** Entries held while Elasticsearch is slow or down; beyond this the oldest are dropped. */
  maxBuffer?: number;
  batchSize?: number;
  flushIntervalMs?: number;
  /** Attempts per batch before it is given up (counted as dropped). */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  requestTimeoutMs?: number;
}

export interface ElasticsearchTransportStats {
  sent: number;
  /** Dropped because the buffer was full or a batch ran out of attempts. */
  dropped: number;
  /** Rejected by Elasticsearch for good (mapping errors and other 4xx item failures). */
  rejected: number;
  buffered: number;
  lastError?: string;
}

type Doc = Record<string, unknown>;

interface Pending {
  doc: Doc;
  attempts: number;
}

function retryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export class ElasticsearchTransport extends TransportStream {
  private readonly bulkUrl: string;
  private readonly headers: Record<string, string>;
  private readonly opts: Required<Omit<ElasticsearchTransportOptions, 'username' | 'password' | 'apiKey' | 'level'>>;
  private buffer: Pending[] = [];
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryAt = 0;
  private stopped = false;
  private readonly counters = { sent: 0, dropped: 0, rejected: 0 };
  private lastError: string | undefined;
  private outage = false;

  constructor(options: ElasticsearchTransportOptions) {
    super({ level: options.level });
    const parsed = new URL(options.url);
    const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
    const username = options.username ?? decodeURIComponent(parsed.username);
    const password = options.password ?? decodeURIComponent(parsed.password);
    parsed.username = '';
    parsed.password = '';
    if (options.apiKey) headers.authorization = `ApiKey ${options.apiKey}`;
    else if (username) headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    this.headers = headers;
    this.bulkUrl = `${parsed.toString().replace(/\/+$/, '')}/_bulk`;
    this.opts = {
      url: options.url,
      index: options.index,
      maxBuffer: options.maxBuffer ?? 10_000,
      batchSize: options.batchSize ?? 500,
      flushIntervalMs: options.flushIntervalMs ?? 1_000,
      maxAttempts: options.maxAttempts ?? 5,
      backoffBaseMs: options.backoffBaseMs ?? 250,
      backoffMaxMs: options.backoffMaxMs ?? 30_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    };
  }

  override log(info: Doc, next: () => void): void {
    if (!this.stopped) {
      const { timestamp, ...rest } = info;
      this.enqueue([{ doc: { '@timestamp': timestamp ?? new Date().toISOString(), ...rest }, attempts: 0 }], false);
      if (this.buffer.length >= this.opts.batchSize) this.kick();
      else this.schedule(this.opts.flushIntervalMs);
    }
    next();
  }

  stats(): ElasticsearchTransportStats {
    return { ...this.counters, buffered: this.buffer.length, lastError: this.lastError };
  }

  /** Sends everything buffered, retrying as configured, but gives up at the deadline; used on shutdown. */
  async flush(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (this.buffer.length > 0 || this.inFlight)) {
      if (this.inFlight) {
        await raceDeadline(this.inFlight, deadline - Date.now());
        continue;
      }
      const wait = this.retryAt - Date.now();
      if (wait > 0) {
        if (Date.now() + wait > deadline) break;
        await raceDeadline(new Promise<void>(() => undefined), wait);
      }
      this.kick();
    }
  }

  override close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Adds entries, at the front for a batch being retried; drops the oldest beyond the bound. */
  private enqueue(items: Pending[], front: boolean): void {
    this.buffer = front ? [...items, ...this.buffer] : this.buffer.concat(items);
    const excess = this.buffer.length - this.opts.maxBuffer;
    if (excess > 0) {
      this.buffer.splice(0, excess);
      this.counters.dropped += excess;
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, Math.max(0, delayMs));
    this.timer.unref();
  }

  private kick(): void {
    if (this.inFlight || this.buffer.length === 0) return;
    const wait = this.retryAt - Date.now();
    if (wait > 0) {
      this.schedule(wait);
      return;
    }
    const batch = this.buffer.splice(0, this.opts.batchSize);
    this.inFlight = this.send(batch).finally(() => {
      this.inFlight = undefined;
      if (this.buffer.length > 0) this.schedule(Math.max(0, this.retryAt - Date.now()));
    });
  }

  private async send(batch: Pending[]): Promise<void> {
    const action = JSON.stringify({ index: { _index: this.opts.index } });
    const body = batch.map((p) => `${action}\n${safeJson(p.doc)}\n`).join('');
    let retry: Pending[] = [];
    try {
      const response = await fetch(this.bulkUrl, {
        method: 'POST', headers: this.headers, body, signal: AbortSignal.timeout(this.opts.requestTimeoutMs),
      });
      const text = await response.text();
      if (!response.ok) {
        if (!retryableStatus(response.status)) {
          this.counters.rejected += batch.length;
          this.noteError(`bulk request answered ${response.status}`);
          return;
        }
        retry = batch;
        this.noteError(`bulk request answered ${response.status}`);
      } else {
        retry = this.itemsToRetry(batch, text);
      }
    } catch (error) {
      retry = batch;
      this.noteError((error as Error).message);
    }
    if (retry.length === 0) {
      this.retryAt = 0;
      this.outage = false;
      return;
    }
    const again = retry.map((p) => ({ doc: p.doc, attempts: p.attempts + 1 })).filter((p) => p.attempts < this.opts.maxAttempts);
    this.counters.dropped += retry.length - again.length;
    const attempt = Math.max(...retry.map((p) => p.attempts + 1));
    const backoff = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** (attempt - 1));
    this.retryAt = Date.now() + backoff * (0.5 + Math.random() / 2);
    this.enqueue(again, true);
  }

  /** Reads a `_bulk` response: sent items are counted, 429/5xx items are retried, other item errors are rejected. */
  private itemsToRetry(batch: Pending[], text: string): Pending[] {
    let parsed: { errors?: boolean; items?: Array<Record<string, { status?: number }>> };
    try {
      parsed = JSON.parse(text);
    } catch {
      this.counters.sent += batch.length;
      return [];
    }
    if (!parsed.errors || !Array.isArray(parsed.items)) {
      this.counters.sent += batch.length;
      return [];
    }
    const retry: Pending[] = [];
    batch.forEach((pending, i) => {
      const item = parsed.items![i];
      const status = item ? Object.values(item)[0]?.status ?? 200 : 200;
      if (status < 300) this.counters.sent += 1;
      else if (retryableStatus(status)) retry.push(pending);
      else this.counters.rejected += 1;
    });
    if (retry.length > 0) this.noteError(`${retry.length} bulk items answered 429/5xx`);
    return retry;
  }

  private noteError(message: string): void {
    // Reported once per outage on stderr, not through the logger: that would feed this transport again.
    if (!this.outage) process.stderr.write(`elasticsearch log transport: ${message}; buffering and retrying\n`);
    this.outage = true;
    this.lastError = message;
  }
}

function safeJson(doc: Doc): string {
  try {
    return JSON.stringify(doc);
  } catch {
    return JSON.stringify({ '@timestamp': doc['@timestamp'], level: doc.level, message: String(doc.message), serialization: 'failed' });
  }
}

/** Waits for `work` or `ms`, whichever is first; the timer is ref'd so a shutdown flush is not cut short by exit. */
async function raceDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([work, new Promise<void>((resolve) => { timer = setTimeout(resolve, Math.max(0, ms)); })]);
  } finally {
    clearTimeout(timer);
  }
}
