// Starts the real server (createApp + openServices) on an ephemeral loopback port and connects official MCP SDK clients.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadConfig, type AppConfig } from '../../../app/config';
import type { AppLogger } from '../../../app/logger';
import { createApp, type AppDeps, type BuiltApp } from '../../../app/server';
import { openServices, type Services } from '../../../app/services';
import type { Db } from '../../../app/store/db';
import { recordingObserver, type RecordingObserver } from './recording-observer';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdefghijklmnop';

export interface RunningTwin {
  baseUrl: string;
  mcpUrl: string;
  services: Services;
  observer: RecordingObserver;
  built: BuiltApp;
  close(): Promise<void>;
}

export interface TwinOptions {
  env?: Record<string, string>;
  db?: Db;
  redisPrefix?: string;
  logger?: AppLogger;
  extra?: Omit<AppDeps, 'services'>;
}

export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ ADMIN_API_KEY: ADMIN_KEY, PGLITE_DATA_DIR: 'memory://', PORT: '0', ...env });
}

export async function startTwin(options: TwinOptions = {}): Promise<RunningTwin> {
  const observer = recordingObserver();
  const services = await openServices(testConfig(options.env), {
    db: options.db, observer, logger: options.logger, redisPrefix: options.redisPrefix, groqBackoffMs: 5,
  });
  const built = createApp({ services, ...options.extra });
  const { port } = await built.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${port}`;
  return { baseUrl, mcpUrl: `${baseUrl}/mcp`, services, observer, built, close: () => built.close() };
}

export async function connectClient(mcpUrl: string, key: string | undefined, name = 'jest-client'): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' });
  const headers: Record<string, string> = key ? { Authorization: `Bearer ${key}` } : {};
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers } }));
  return client;
}

export async function createKey(baseUrl: string, body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const res = await fetch(`${baseUrl}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`key creation failed: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; key: string };
}

/** Row counts of every table a request could change; compared before and after a rejected request. */
export async function storeSnapshot(db: Db): Promise<Record<string, unknown>> {
  const count = async (table: string) => Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
  const keys = await db.query<{ id: string; revoked_at: unknown }>('SELECT id, revoked_at FROM api_keys ORDER BY id');
  const revisions = await db.query<{ section: string; revision: number }>('SELECT section, revision FROM profile_revisions ORDER BY section, revision');
  return { keys, revisions, queryEvents: await count('query_events') };
}

export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? '').join('\n');
}

export async function rawMcp(mcpUrl: string, body: string, key: string | null = ADMIN_KEY): Promise<{ status: number; json: unknown; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(mcpUrl, { method: 'POST', headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}
