// The Myers line diff: minimal (as long as a longest common subsequence) and a unified diff `git apply` accepts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { diffLines, unifiedDiff } from '../../../slo/diff/lineDiff';

function lcsLength(a: string[], b: string[]): number {
  const row = new Array(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let prev = 0;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = a[i - 1] === b[j - 1] ? prev + 1 : Math.max(row[j], row[j - 1]);
      prev = cur;
    }
  }
  return row[b.length];
}

const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 30 });

describe('diffLines', () => {
  it('rebuilds both sides and keeps a longest common subsequence', () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const edits = diffLines(a, b);
        expect(edits.filter((e) => e.op !== 'add').map((e) => e.line)).toEqual(a);
        expect(edits.filter((e) => e.op !== 'del').map((e) => e.line)).toEqual(b);
        expect(edits.filter((e) => e.op === 'keep').length).toBe(lcsLength(a, b));
      }),
      { numRuns: 300 },
    );
  });

  it('is empty for equal texts', () => {
    expect(unifiedDiff('x\ny\n', 'x\ny\n', { from: 'a/f', to: 'b/f' })).toBe('');
  });
});

describe('unifiedDiff', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'slo-linediff-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('produces patches git apply turns the old text into the new one', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { minLength: 1, maxLength: 60 }), lines, (a, b) => {
        const before = `${a.join('\n')}\n`;
        const after = b.length ? `${b.join('\n')}\n` : '';
        if (before === after) return;
        writeFileSync(join(dir, 'f.txt'), before);
        writeFileSync(join(dir, 'p.diff'), unifiedDiff(before, after, { from: 'a/f.txt', to: 'b/f.txt' }));
        execFileSync('git', ['apply', 'p.diff'], { cwd: dir, stdio: 'pipe' });
        // git apply deletes a file emptied by the patch.
        let result = '';
        try {
          result = readFileSync(join(dir, 'f.txt'), 'utf8');
        } catch {
          result = '';
        }
        expect(result).toBe(after);
      }),
      { numRuns: 60 },
    );
  });

  it('numbers hunks like diff -u and keeps three lines of context', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n') + '\n';
    const after = ['1', '2', '3', '4', 'five', '6', '7', '8', '9', '10'].join('\n') + '\n';
    expect(unifiedDiff(before, after, { from: 'a/x', to: 'b/x' })).toBe(
      ['--- a/x', '+++ b/x', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ''].join('\n'),
    );
  });
});
