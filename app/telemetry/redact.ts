// Removes secrets and personal data from anything about to leave the process (log entries, error reports).
// Runs before any transport sees an entry, so a forgotten field in one call site cannot leak.

export const REDACTED = '[REDACTED]';

/** Keys whose values are never kept, compared lower-case with separators removed (`X-API-Key` -> `xapikey`). */
const SECRET_KEY = /(authorization|cookie|password|passwd|secret|apikey|privatekey|credential|email|phone|ssn|creditcard|cardnumber)/;
/** `token`, `access_token`, `idToken`, but not `total_tokens` or `max_tokens` (LLM usage figures). */
const TOKEN_KEY = /token$/;

export function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_KEY.test(normalized) || TOKEN_KEY.test(normalized);
}

const STRING_RULES: ReadonlyArray<[RegExp, string]> = [
  // scheme credentials: "Bearer abc", "Basic dXNlcjpwYXNz"
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // JSON Web Tokens anywhere
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // key=value and "key": "value" pairs naming a secret
  [/\b((?:x[-_]?)?api[-_]?key|access[-_]?token|refresh[-_]?token|token|password|passwd|secret|authorization|cookie)(["']?\s*[:=]\s*["']?)([^\s"'&,;}]+)/gi, `$1$2${REDACTED}`],
  // credentials in URLs: scheme://user:password@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${REDACTED}@`],
  // well-known provider key shapes (Groq, OpenAI-style)
  [/\b(gsk|sk|pk|rk)[-_][A-Za-z0-9_-]{16,}/g, REDACTED],
  // e-mail addresses
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[REDACTED_EMAIL]'],
];

export function redactString(text: string): string {
  let out = text;
  for (const [pattern, replacement] of STRING_RULES) out = out.replace(pattern, replacement);
  return out;
}

/** Deeper structures are cut: log metadata is shallow, and an unbounded walk is a cost no log line is worth. */
const MAX_DEPTH = 8;

/** A redacted deep copy: secret keys masked, strings scrubbed, errors flattened, cycles cut. Symbol keys are kept as they are. */
export function redact<T>(value: T, maxDepth = MAX_DEPTH): T {
  return redactValue(value, 0, new WeakSet(), maxDepth) as T;
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>, maxDepth: number): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= maxDepth) return '[Truncated]';
  seen.add(value);
  try {
    if (value instanceof Error) {
      const flat: Record<string, unknown> = { name: value.name, message: redactString(value.message) };
      if (value.stack) flat.stack = redactString(value.stack);
      for (const [k, v] of Object.entries(value)) flat[k] = isSecretKey(k) ? REDACTED : redactValue(v, depth + 1, seen, maxDepth);
      return flat;
    }
    if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen, maxDepth));
    if (value instanceof Date || Buffer.isBuffer(value)) return value;
    const copy: Record<string | symbol, unknown> = {};
    for (const [k, v] of Object.entries(value)) copy[k] = isSecretKey(k) ? REDACTED : redactValue(v, depth + 1, seen, maxDepth);
    for (const sym of Object.getOwnPropertySymbols(value)) {
      const v = (value as Record<symbol, unknown>)[sym];
      copy[sym] = typeof v === 'string' ? redactString(v) : v;
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}
