// App benchmark: ask_twin and search_profile throughput and P99 over loopback HTTP with the MCP SDK client,
// on embedded defaults (PGlite, in-process vectors, L1 cache, extractive answers), with 100 and 10,000 profile chunks.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadConfig } from '../app/config';
import { createApp } from '../app/server';
import { openServices } from '../app/services';
import { benchQuestion, writeSyntheticProfile } from './app-profile';

const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghijkl';
const CHUNK_COUNTS = [100, 10_000];
const REQUESTS = 200;
const CONCURRENCY = 8;
const TIME_CAP_MS = 20_000;

interface Row {
  chunks: number;
  tool: string;
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** At most REQUESTS calls from CONCURRENCY clients, stopping early at TIME_CAP_MS. */
async function measure(clients: Client[], call: (client: Client, i: number) => Promise<unknown>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (next < REQUESTS && performance.now() - started < TIME_CAP_MS) {
        const i = next++;
        const t = performance.now();
        const result = (await call(client, i)) as { isError?: boolean };
        if (result.isError) throw new Error(`benchmark call ${i} failed`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

async function benchSize(chunks: number): Promise<Row[]> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'dt-bench-'));
  const profileDir = path.join(work, 'profile');
  await writeSyntheticProfile(profileDir, chunks);
  const config = loadConfig({ ADMIN_API_KEY: ADMIN_KEY, PGLITE_DATA_DIR: path.join(work, 'pglite'), PROFILE_DIR: profileDir, PORT: '0' });
  const services = await openServices(config);
  const built = createApp({ services });
  const { port } = await built.listen(0, '127.0.0.1');
  const url = new URL(`http://127.0.0.1:${port}/mcp`);
  const clients = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const c = new Client({ name: 'bench', version: '1.0.0' });
      await c.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${ADMIN_KEY}` } } }));
      return c;
    }),
  );
  try {
    const rows: Row[] = [];
    const indexed = services.index.chunkCount();
    // Warm-up: JIT, PGlite's first statements, connection pools.
    await measure(clients.slice(0, 1), (c, i) => c.callTool({ name: 'search_profile', arguments: { query: benchQuestion(i + 100_000) } }));
    const search = await measure(clients, (c, i) => c.callTool({ name: 'search_profile', arguments: { query: benchQuestion(i), limit: 5 } }));
    rows.push({ chunks: indexed, tool: 'search_profile', requests: search.latencies.length, seconds: search.seconds, p50: percentile(search.latencies, 50), p99: percentile(search.latencies, 99) });
    // Distinct questions, so every ask misses the cache and runs retrieval and answer generation.
    const ask = await measure(clients, (c, i) => c.callTool({ name: 'ask_twin', arguments: { question: benchQuestion(i + 1_000_000) } }));
    rows.push({ chunks: indexed, tool: 'ask_twin (uncached)', requests: ask.latencies.length, seconds: ask.seconds, p50: percentile(ask.latencies, 50), p99: percentile(ask.latencies, 99) });
    const cached = await measure(clients, (c) => c.callTool({ name: 'ask_twin', arguments: { question: benchQuestion(1_000_000) } }));
    rows.push({ chunks: indexed, tool: 'ask_twin (L1 hit)', requests: cached.latencies.length, seconds: cached.seconds, p50: percentile(cached.latencies, 50), p99: percentile(cached.latencies, 99) });
    return rows;
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await built.close();
    await rm(work, { recursive: true, force: true });
  }
}

export async function benchApp(): Promise<void> {
  const rows: Row[] = [];
  for (const n of CHUNK_COUNTS) rows.push(...(await benchSize(n)));
  console.log(`\nDigital Twin MCP server: embedded defaults, loopback HTTP, MCP SDK client, ${CONCURRENCY} concurrent clients, up to ${REQUESTS} calls each case`);
  console.log('| chunks | tool | calls | calls/s | P50 ms | P99 ms |');
  console.log('|---:|---|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.chunks} | ${r.tool} | ${r.requests} | ${(r.requests / r.seconds).toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`);
  }
}

if (require.main === module) {
  benchApp().catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
