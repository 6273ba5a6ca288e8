// The markdown rendering stays a valid table and fits a GitHub comment however large the raw diffs are.
import { formatMarkdown, formatText } from '../../../slo/diff/report';
import type { ArtifactChange } from '../../../slo/diff/artifactDiff';

const bigDiff = (path: string, lines = 1000): ArtifactChange => ({
  path, status: 'modified', added: lines, removed: 0,
  diff: `--- a/${path}\n+++ b/${path}\n@@ -1,0 +1,${lines} @@\n${Array.from({ length: lines }, (_, i) => `+line ${i} ${'x'.repeat(20)}`).join('\n')}\n`,
});

describe('formatMarkdown', () => {
  it('escapes pipes in PromQL so a table row keeps its cells', () => {
    const md = formatMarkdown({
      base: 'main',
      changes: [{ service: 's', subject: 'alert', name: 'A', kind: 'changed', field: 'expr', before: 'a or b', after: 'x{code=~"5..|429"}' }],
      artifacts: [],
    });
    const row = md.split('\n').find((l) => l.startsWith('| s |'))!;
    expect(row).toBe('| s | alert `A` | `expr` | `a or b` | `x{code=~"5..\\|429"}` |  |');
    expect(row.split(/(?<!\\)\|/).length).toBe(8);
  });

  it('leaves raw diffs out beyond the comment budget, keeping the summary and naming what was left out', () => {
    const md = formatMarkdown({ base: 'main', changes: [], artifacts: [bigDiff('a.yaml'), bigDiff('b.yaml'), bigDiff('c.yaml')] });
    expect(md.length).toBeLessThan(65_536);
    expect(md).toContain('| `c.yaml` | modified | +1000 −0 |');
    expect(md).toContain('<details><summary><code>a.yaml</code>');
    expect(md).toMatch(/Raw diffs left out to fit a comment: `b\.yaml`, `c\.yaml`/);
  });

  it('uses a longer fence when a diff contains three backticks', () => {
    const md = formatMarkdown({ base: 'main', changes: [], artifacts: [{ path: 'r.md', status: 'modified', added: 1, removed: 0, diff: '--- a/r.md\n+++ b/r.md\n@@ -0,0 +1,1 @@\n+```\n' }] });
    expect(md).toContain('````diff\n');
  });
});

describe('formatText', () => {
  it('prints every raw diff in full', () => {
    const text = formatText({ base: 'main', changes: [], artifacts: [bigDiff('a.yaml', 3000)] });
    expect(text).toContain('+line 2999 ');
  });
});
