// A throwaway Prometheus on loopback over a backfilled TSDB: backfill, start, query with stats, stop.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type InstantAnswer, parseInstantAnswer } from './queryCost';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? 'prometheus';
const PROMTOOL = process.env.PROMTOOL_BIN ?? 'promtool';
const READY_TIMEOUT_MS = 60_000;
const QUERY_TIMEOUT_MS = 60_000;
const BACKFILL_TIMEOUT_MS = 180_000;

/** Unref'd, so a pending wait never keeps the process alive. */
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());
/**
 * promtool re-reads the whole input once per block, so 2h blocks would mean ~400 passes over 33 days;
 * 162h is one of the TSDB's compaction sizes, the size a long-retention Prometheus ends up with.
 */
export const BLOCK_DURATION = '162h';

/** Every promtool and Prometheus process this module started and that has not exited yet. */
const started = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

/**
 * Kills what this module started, for interrupt handlers, which must not leave a Prometheus behind or let a
 * promtool keep writing into a directory being deleted. Resolves once they have exited (at most 5 s).
 */
export async function killStarted(): Promise<void> {
  const exits = [...started].map((child) => new Promise<void>((r) => {
    child.once('exit', () => r());
    child.kill('SIGKILL');
  }));
  await Promise.race([Promise.all(exits), sleep(5000)]);
}

/** For `process.on('exit')`, which cannot wait. */
export function killStartedNow(): void {
  for (const child of started) child.kill('SIGKILL');
}

/** `promtool tsdb create-blocks-from openmetrics FILE DIR`; a failure carries promtool's own message. */
export function backfill(openMetricsFile: string, dataDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    track(execFile(
      PROMTOOL,
      ['tsdb', 'create-blocks-from', 'openmetrics', `--max-block-duration=${BLOCK_DURATION}`, '--quiet', openMetricsFile, dataDir],
      { timeout: BACKFILL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`promtool backfill of ${openMetricsFile} failed: ${(stderr || stdout || err.message).trim()}`));
        else resolve();
      },
    ));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class PrometheusServer {
  private exited = false;
  private log = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.once('exit', () => { this.exited = true; });
    const keep = (chunk: Buffer): void => { this.log = (this.log + chunk.toString()).slice(-4000); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /** Starts Prometheus on 127.0.0.1 over `dataDir`, with no scrape jobs and no rules, and waits until it is ready. */
  static async start(dataDir: string, workDir: string): Promise<PrometheusServer> {
    const config = join(workDir, 'prometheus.yml');
    // No scrape_configs: the TSDB holds only the backfilled data.
    writeFileSync(config, 'global:\n  evaluation_interval: 30s\n');
    const port = await freePort();
    const child = track(spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${dataDir}`,
        // Retention counts back from the newest block, not from now; keep all 33 days.
        '--storage.tsdb.retention.time=3650d',
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ));
    const server = new PrometheusServer(child, `http://127.0.0.1:${port}`);
    const spawnError = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`cannot start ${PROMETHEUS}: ${e.message}`))));
    await Promise.race([server.waitReady(), spawnError]);
    return server;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`prometheus exited before it was ready:\n${this.log.trim()}`);
      try {
        const res = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return;
      } catch {
        // Not listening yet.
      }
      await sleep(100);
    }
    throw new Error(`prometheus not ready after ${READY_TIMEOUT_MS / 1000}s:\n${this.log.trim()}`);
  }

  /** The server's version, from /api/v1/status/buildinfo. */
  async version(): Promise<string> {
    const res = await fetch(`${this.url}/api/v1/status/buildinfo`, { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) });
    const body = (await res.json()) as { data?: { version?: string } };
    return body.data?.version ?? 'unknown';
  }

  /** Evaluates `expr` at unix time `time` with statistics. */
  async query(expr: string, time: number): Promise<InstantAnswer> {
    const params = new URLSearchParams({ query: expr, time: String(time), stats: 'all' });
    const res = await fetch(`${this.url}/api/v1/query?${params}`, { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) });
    return parseInstantAnswer(await res.json(), expr);
  }

  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exit = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<boolean>((r) => { timer = setTimeout(() => r(false), 10_000); });
    const done = await Promise.race([exit.then(() => true), grace]);
    clearTimeout(timer);
    if (!done) {
      this.child.kill('SIGKILL');
      await exit;
    }
  }
}
