// Environment validation: defaults for embedded mode, and one clear message per bad value, never echoing a secret.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../app/config';

test('an empty environment gives the embedded defaults', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({
    port: 8080, host: '127.0.0.1', database: { kind: 'pglite', dataDir: '.data/pglite' }, vector: { kind: 'memory' },
    groq: { apiKey: undefined, baseUrl: 'https://api.groq.com/openai/v1', timeoutMs: 15000, maxRetries: 2 }, maxQuestionChars: 2000,
  });
  expect(c.redisUrl).toBeUndefined();
});

test('DATABASE_URL and REDIS_URL select PostgreSQL and the Redis L2', () => {
  const c = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/twin', DATABASE_SCHEMA: 'twin', REDIS_URL: 'redis://cache:6379' });
  expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/twin', schema: 'twin', poolMax: 10 });
  expect(c.redisUrl).toBe('redis://cache:6379');
});

test('every bad value gets its own message naming the variable, and secrets are not echoed', () => {
  let err: ConfigError | undefined;
  try {
    loadConfig({
      PORT: '80a', CACHE_TTL_SECONDS: '0', DATABASE_URL: 'mysql://root:hunter2-secret@db/x', VECTOR_BACKEND: 'pinecone',
      ADMIN_API_KEY: 'short-secret', GROQ_MAX_RETRIES: '9',
    });
  } catch (e) {
    err = e as ConfigError;
  }
  expect(err).toBeInstanceOf(ConfigError);
  expect(err!.problems).toEqual([
    'PORT must be an integer from 0 to 65535 (got "80a")',
    'DATABASE_URL must use postgres: or postgresql: (got mysql:)',
    'CACHE_TTL_SECONDS must be an integer from 1 to 86400 (got "0")',
    'GROQ_MAX_RETRIES must be an integer from 0 to 5 (got "9")',
    'VECTOR_BACKEND must be "memory" or "upstash"',
    'ADMIN_API_KEY must be at least 24 characters long',
  ]);
  expect(err!.message).not.toContain('hunter2');
  expect(err!.message).not.toContain('short-secret');
});

test('the Upstash backend requires its URL and token', () => {
  expect(() => loadConfig({ VECTOR_BACKEND: 'upstash' })).toThrow(
    /UPSTASH_VECTOR_REST_URL is required when VECTOR_BACKEND=upstash\n.*UPSTASH_VECTOR_REST_TOKEN is required/,
  );
});

test('`npm start` with bad values prints one line per problem and exits non-zero, without a stack trace', async () => {
  const main = path.resolve(__dirname, '../../app/main.ts');
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile('node', ['-r', 'tsx/cjs', main], { env: { ...process.env, NODE_OPTIONS: '', PORT: 'eighty', REDIS_URL: 'http://x', OTEL_SDK_DISABLED: 'true' } }, (err, _stdout, stderr) =>
      resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stderr }),
    );
  });
  expect(result.code).toBe(2);
  expect(result.stderr).toBe('Invalid configuration:\n  - PORT must be an integer from 0 to 65535 (got "eighty")\n  - REDIS_URL must use redis: or rediss: (got http:)\n');
}, 30_000);
