// Line diffs of rendered artifacts: Myers' O(ND) shortest edit script, printed as a unified diff.
// Written here rather than shelling out to `diff -u`: the diff core stays pure (no temp files, no
// process), and the output is byte-identical on every machine (GNU and BSD diff differ in headers).

export type Edit = { op: 'keep' | 'del' | 'add'; line: string };

/** Beyond this many differing lines the edit script is not worth minimising: the change is a rewrite. */
const MAX_EDIT_DISTANCE = 4000;

/** The shortest edit script turning `a` into `b` (common prefix and suffix trimmed first, since most edits are small). */
export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: Edit[] = a.slice(0, start).map((line) => ({ op: 'keep', line }));
  const tail: Edit[] = a.slice(endA).map((line) => ({ op: 'keep', line }));
  return [...head, ...myers(a.slice(start, endA), b.slice(start, endB)), ...tail];
}

function myers(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({ op: 'add', line }));
  if (m === 0) return a.map((line) => ({ op: 'del', line }));
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]);
      let x = down ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, [...trace, next], offset);
    }
    v = next;
  }
  // Too different to be worth an exact script: everything old out, everything new in.
  return [...a.map((line): Edit => ({ op: 'del', line })), ...b.map((line): Edit => ({ op: 'add', line }))];
}

function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[], offset: number): Edit[] {
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  // trace[d + 1] holds the furthest points after d edits; trace[d] those before.
  for (let d = trace.length - 2; d >= 0; d--) {
    const v = trace[d];
    const k = x - y;
    const down = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]);
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : v[offset + prevK];
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY && (d > 0 || x > 0)) {
      edits.push({ op: 'keep', line: a[x - 1] });
      x--;
      y--;
    }
    if (d === 0) break;
    if (down) edits.push({ op: 'add', line: b[y - 1] });
    else edits.push({ op: 'del', line: a[x - 1] });
    x = prevX;
    y = prevY;
  }
  return edits.reverse();
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A unified diff (`--- a/path`, `+++ b/path`, `@@` hunks with `context` lines around changes); empty when equal. */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const edits = diffLines(a, b);
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  // Positions (1-based) of each edit in the old and new file, to number the hunks.
  const posA: number[] = [];
  const posB: number[] = [];
  let ia = 0;
  let ib = 0;
  for (const e of edits) {
    posA.push(ia);
    posB.push(ib);
    if (e.op !== 'add') ia++;
    if (e.op !== 'del') ib++;
  }
  let i = 0;
  while (i < edits.length) {
    if (edits[i].op === 'keep') {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while the next change is within 2 * context unchanged lines.
    for (;;) {
      while (end < edits.length && edits[end].op !== 'keep') end++;
      let gap = end;
      while (gap < edits.length && edits[gap].op === 'keep') gap++;
      if (gap < edits.length && gap - end <= 2 * context) end = gap;
      else {
        end = Math.min(edits.length, end + context);
        break;
      }
    }
    const hunk = edits.slice(start, end);
    const countA = hunk.filter((e) => e.op !== 'add').length;
    const countB = hunk.filter((e) => e.op !== 'del').length;
    const fromA = countA === 0 ? posA[start] : posA[start] + 1;
    const fromB = countB === 0 ? posB[start] : posB[start] + 1;
    out.push(`@@ -${fromA},${countA} +${fromB},${countB} @@`);
    for (const e of hunk) out.push(`${e.op === 'keep' ? ' ' : e.op === 'del' ? '-' : '+'}${e.line}`);
    i = end;
  }
  return `${out.join('\n')}\n`;
}
