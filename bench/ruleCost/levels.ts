// Orders a rule set by what each rule reads: a rule can only be costed once the series it reads exist.
import type { EvaluatedRule } from './systems';

/** Recorded-series names in an expression: Prometheus reserves names with a colon for recording rules. */
export function recordedNamesIn(expr: string): string[] {
  const names = new Set<string>();
  // Label values and subquery ranges (`[30d:1h]`) are skipped: a string is removed first, and a name starts with a letter or `_`.
  const code = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of code.matchAll(/(?<![\w:])[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]*/g)) names.add(m[0]);
  return [...names];
}

/**
 * The evaluation level of each rule: 0 when it reads only raw or backfilled series, otherwise one more than
 * the deepest rule recording a series it reads. Rules of level n can be costed once levels < n are stored.
 */
export function ruleLevels(rules: readonly EvaluatedRule[], backfilled: ReadonlySet<string>): number[] {
  const producers = new Map<string, number[]>();
  rules.forEach((r, i) => {
    if (r.record && !backfilled.has(r.record)) producers.set(r.record, [...(producers.get(r.record) ?? []), i]);
  });
  const levels: Array<number | undefined> = rules.map(() => undefined);
  const visiting = new Set<number>();
  const levelOf = (i: number): number => {
    const known = levels[i];
    if (known !== undefined) return known;
    if (visiting.has(i)) throw new Error(`recording rules read each other in a cycle through ${rules[i].record ?? rules[i].alert}`);
    visiting.add(i);
    let level = 0;
    for (const name of recordedNamesIn(rules[i].expr)) {
      for (const p of producers.get(name) ?? []) if (p !== i) level = Math.max(level, levelOf(p) + 1);
    }
    visiting.delete(i);
    levels[i] = level;
    return level;
  };
  return rules.map((_, i) => levelOf(i));
}
