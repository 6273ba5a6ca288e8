// YAML text -> validated Spec, with every problem located as FILE:LINE:COLUMN and a field path.
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { core } from 'zod';
import { checkSpec, secretProblems } from './check';
import { issueMessage } from './issueMessage';
import { specSchema, type Spec } from './schema';

export type FieldPath = ReadonlyArray<string | number>;

export interface Problem {
  file: string;
  line: number;
  column: number;
  /** Dotted field path (`slos.0.objective`), empty for the whole document. */
  path: string;
  message: string;
}

/** The loader's only error: a list of located problems, printed one per line. */
export class SpecError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'SpecError';
  }
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** Maps field paths (and offsets inside scalar values) of one YAML document to line and column. */
export class SourceMap {
  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** The node at `path`, or the deepest existing ancestor. With `key`, the key of the last segment. */
  private nodeAt(path: FieldPath, key = false): Node | undefined {
    let node: unknown = this.doc.contents;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return node as Node;
        if (key && i === path.length - 1) return pair.key as Node;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
        node = node.items[seg];
      } else {
        return node as Node | undefined;
      }
    }
    return node as Node | undefined;
  }

  /** A problem at `path`; `offset` points inside a scalar value (for a PromQL error). */
  problem(path: FieldPath, message: string, opts: { key?: boolean; offset?: number } = {}): Problem {
    const node = this.nodeAt(path, opts.key);
    let pos = node?.range?.[0] ?? 0;
    if (opts.offset !== undefined && node && isScalar(node)) {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      const plain = quoted || node.type === 'PLAIN';
      if (plain) pos += opts.offset + (quoted ? 1 : 0);
    }
    const { line, col } = this.lines.linePos(pos);
    return { file: this.file, line, column: col, path: path.join('.'), message };
  }
}

/** Closest allowed key within edit distance 2, for "did you mean" hints. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** Keys allowed at a path of the spec schema, for suggestions. */
function allowedKeys(path: FieldPath): string[] {
  // Walks the zod schema along the path; objects expose `shape`, arrays `element`, wrappers `unwrap()`.
  let schema: unknown = specSchema;
  const unwrap = (s: unknown): unknown => {
    let cur = s as { def?: { innerType?: unknown; in?: unknown; type?: string }; shape?: unknown };
    for (let i = 0; i < 10 && cur?.def; i++) {
      if (cur.shape) return cur;
      const next = cur.def.innerType ?? cur.def.in;
      if (!next) return cur;
      cur = next as typeof cur;
    }
    return cur;
  };
  for (const seg of path) {
    const s = unwrap(schema) as { shape?: Record<string, unknown>; def?: { element?: unknown } };
    if (typeof seg === 'number') schema = s.def?.element;
    else schema = s.shape?.[seg];
    if (!schema) return [];
  }
  const s = unwrap(schema) as { shape?: Record<string, unknown> };
  return s.shape ? Object.keys(s.shape) : [];
}

function schemaProblems(error: core.$ZodError, map: SourceMap): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(path);
      for (const key of issue.keys) {
        const hint = closest(key, allowed);
        const suffix = hint ? `; did you mean \`${hint}\`?` : allowed.length ? `; allowed: ${allowed.join(', ')}` : '';
        problems.push(map.problem([...path, key], `unknown key \`${key}\`${suffix}`, { key: true }));
      }
      continue;
    }
    problems.push(map.problem(path, issueMessage(issue)));
  }
  return problems;
}

/** Parses and validates spec text; throws SpecError listing every problem. */
export function parseSpec(text: string, file = '<spec>'): Spec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const map = new SourceMap(file, doc, lines);
  if (doc.errors.length > 0) {
    // One syntax error tends to cascade into several; the first is the one to fix.
    const e = doc.errors[0];
    const { line, col } = lines.linePos(e.pos[0]);
    const message = e.code === 'DUPLICATE_KEY' ? 'duplicate key' : e.message.split('\n')[0];
    throw new SpecError([{ file, line, column: col, path: '', message: `YAML: ${message}` }]);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new SpecError([{ file, line: 1, column: 1, path: '', message: `YAML: ${(e as Error).message}` }]);
  }
  if (raw === null || raw === undefined) {
    throw new SpecError([{ file, line: 1, column: 1, path: '', message: 'the spec is empty; expected a mapping with service, slos and routing' }]);
  }
  const secrets = secretProblems(raw, map);
  const parsed = specSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new SpecError(sortProblems([...secrets, ...schemaProblems(parsed.error, map)]));
  const problems = [...secrets, ...checkSpec(parsed.data, map)];
  if (problems.length > 0) throw new SpecError(sortProblems(problems));
  return parsed.data;
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Reads and validates one spec file. */
export function loadSpecFile(file: string): Spec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a spec file' : (e as Error).message;
    throw new SpecError([{ file, line: 1, column: 1, path: '', message: why }]);
  }
  return parseSpec(text, file);
}
