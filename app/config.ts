// Server configuration from environment variables, validated once at startup with one clear message per bad value.

import path from 'node:path';
import { z } from 'zod';

const DEFAULT_PROFILE_DIR = path.resolve(__dirname, 'profile');

const intIn = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be an integer from ${min} to ${max} (got "${raw}")` });
        return z.NEVER;
      }
      return n;
    });

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** A URL whose value may hold credentials: the message names the variable but never echoes the value. */
const secretUrl = (name: string, protocols: readonly string[]) =>
  optionalText.superRefine((v, ctx) => {
    if (v === undefined) return;
    let parsed: URL;
    try {
      parsed = new URL(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: `${name} is not a valid URL` });
      return;
    }
    if (!protocols.includes(parsed.protocol)) {
      ctx.addIssue({ code: 'custom', message: `${name} must use ${protocols.join(' or ')} (got ${parsed.protocol})` });
    }
  });

const envSchema = z
  .object({
    PORT: intIn('PORT', 0, 65535, 8080),
    HOST: optionalText.transform((v) => v ?? '127.0.0.1'),
    DATABASE_URL: secretUrl('DATABASE_URL', ['postgres:', 'postgresql:']),
    DATABASE_SCHEMA: optionalText.superRefine((v, ctx) => {
      if (v !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: `DATABASE_SCHEMA must be a lower-case SQL identifier (got "${v}")` });
      }
    }),
    DATABASE_POOL_MAX: intIn('DATABASE_POOL_MAX', 1, 200, 10),
    PGLITE_DATA_DIR: optionalText.transform((v) => v ?? '.data/pglite'),
    REDIS_URL: secretUrl('REDIS_URL', ['redis:', 'rediss:']),
    CACHE_TTL_SECONDS: intIn('CACHE_TTL_SECONDS', 1, 86_400, 300),
    CACHE_MAX_ENTRIES: intIn('CACHE_MAX_ENTRIES', 1, 1_000_000, 1000),
    GROQ_API_KEY: optionalText,
    GROQ_MODEL: optionalText.transform((v) => v ?? 'llama-3.3-70b-versatile'),
    GROQ_BASE_URL: secretUrl('GROQ_BASE_URL', ['http:', 'https:']).transform((v) => v ?? 'https://api.groq.com/openai/v1'),
    GROQ_TIMEOUT_MS: intIn('GROQ_TIMEOUT_MS', 100, 120_000, 15_000),
    GROQ_MAX_RETRIES: intIn('GROQ_MAX_RETRIES', 0, 5, 2),
    VECTOR_BACKEND: optionalText.pipe(
      z.enum(['memory', 'upstash'], { message: 'VECTOR_BACKEND must be "memory" or "upstash"' }).optional(),
    ).transform((v) => v ?? 'memory'),
    UPSTASH_VECTOR_REST_URL: secretUrl('UPSTASH_VECTOR_REST_URL', ['http:', 'https:']),
    UPSTASH_VECTOR_REST_TOKEN: optionalText,
    EMBEDDING_DIMENSIONS: intIn('EMBEDDING_DIMENSIONS', 16, 4096, 384),
    ADMIN_API_KEY: optionalText.superRefine((v, ctx) => {
      if (v !== undefined && v.length < 24) {
        ctx.addIssue({ code: 'custom', message: 'ADMIN_API_KEY must be at least 24 characters long' });
      }
    }),
    PROFILE_DIR: optionalText.transform((v) => path.resolve(v ?? DEFAULT_PROFILE_DIR)),
    MAX_QUESTION_CHARS: intIn('MAX_QUESTION_CHARS', 1, 100_000, 2000),
  })
  .superRefine((env, ctx) => {
    if (env.VECTOR_BACKEND !== 'upstash') return;
    if (!env.UPSTASH_VECTOR_REST_URL) {
      ctx.addIssue({ code: 'custom', path: ['UPSTASH_VECTOR_REST_URL'], message: 'UPSTASH_VECTOR_REST_URL is required when VECTOR_BACKEND=upstash' });
    }
    if (!env.UPSTASH_VECTOR_REST_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['UPSTASH_VECTOR_REST_TOKEN'], message: 'UPSTASH_VECTOR_REST_TOKEN is required when VECTOR_BACKEND=upstash' });
    }
  });

export interface AppConfig {
  port: number;
  host: string;
  database:
    | { kind: 'postgres'; url: string; schema?: string; poolMax: number }
    | { kind: 'pglite'; dataDir: string };
  redisUrl?: string;
  cache: { ttlSeconds: number; maxEntries: number };
  groq: { apiKey?: string; model: string; baseUrl: string; timeoutMs: number; maxRetries: number };
  vector: { kind: 'memory' } | { kind: 'upstash'; url: string; token: string };
  embeddingDimensions: number;
  adminApiKey?: string;
  profileDir: string;
  maxQuestionChars: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '');
      return issue.message.includes(variable) ? issue.message : `${variable}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA, poolMax: e.DATABASE_POOL_MAX }
      : { kind: 'pglite', dataDir: e.PGLITE_DATA_DIR },
    redisUrl: e.REDIS_URL,
    cache: { ttlSeconds: e.CACHE_TTL_SECONDS, maxEntries: e.CACHE_MAX_ENTRIES },
    groq: { apiKey: e.GROQ_API_KEY, model: e.GROQ_MODEL, baseUrl: e.GROQ_BASE_URL, timeoutMs: e.GROQ_TIMEOUT_MS, maxRetries: e.GROQ_MAX_RETRIES },
    vector:
      e.VECTOR_BACKEND === 'upstash'
        ? { kind: 'upstash', url: e.UPSTASH_VECTOR_REST_URL!, token: e.UPSTASH_VECTOR_REST_TOKEN! }
        : { kind: 'memory' },
    embeddingDimensions: e.EMBEDDING_DIMENSIONS,
    adminApiKey: e.ADMIN_API_KEY,
    profileDir: e.PROFILE_DIR,
    maxQuestionChars: e.MAX_QUESTION_CHARS,
  };
}
