// Foreign spec files (Sloth, OpenSLO) read as YAML documents whose every problem is located like our own
// spec's: FILE:LINE:COLUMN, field path, one message.
import { LineCounter, parseAllDocuments } from 'yaml';
import type { core } from 'zod';
import { issueMessage } from '../issueMessage';
import { SourceMap, SpecError, type FieldPath, type Problem } from '../load';

export interface SourceDocument {
  /** The document as plain data. */
  value: unknown;
  map: SourceMap;
  /** 1-based position of the document in a multi-document file. */
  index: number;
}

/** Every document of a YAML file (a single-document file gives one); YAML syntax errors throw SpecError. */
export function readDocuments(text: string, file: string): SourceDocument[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const problems: Problem[] = [];
  for (const doc of list) {
    for (const e of doc.errors) {
      const { line, col } = lines.linePos(e.pos[0]);
      const message = e.code === 'DUPLICATE_KEY' ? 'duplicate key' : e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      if (!problems.some((p) => p.line === line && p.column === col && p.message === `YAML: ${message}`)) {
        problems.push({ file, line, column: col, path: '', message: `YAML: ${message}` });
      }
    }
  }
  if (problems.length > 0) throw new SpecError(problems);
  const out: SourceDocument[] = [];
  list.forEach((doc, i) => {
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new SpecError([{ file, line: 1, column: 1, path: '', message: `YAML: ${(e as Error).message}` }]);
    }
    // A trailing `---` leaves an empty document; it carries nothing.
    if (value === null || value === undefined) return;
    out.push({ value, map: new SourceMap(file, doc, lines), index: i + 1 });
  });
  if (out.length === 0) throw new SpecError([{ file, line: 1, column: 1, path: '', message: 'the file is empty' }]);
  return out;
}

/** Zod issues of one document as located problems; `prefix` is where the validated value sits in the document. */
export function zodProblems(error: core.$ZodError, map: SourceMap, prefix: FieldPath = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push(map.problem([...path, key], `unknown field \`${key}\``, { key: true }));
    } else {
      problems.push(map.problem(path, issueMessage(issue)));
    }
  }
  return problems;
}

/** Collects located problems while a converter walks a document, then throws them all at once. */
export class ProblemList {
  readonly problems: Problem[] = [];

  add(map: SourceMap, path: FieldPath, message: string, opts?: { key?: boolean; offset?: number }): void {
    this.problems.push(map.problem(path, message, opts));
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new SpecError([...this.problems].sort((a, b) => a.line - b.line || a.column - b.column));
  }
}
