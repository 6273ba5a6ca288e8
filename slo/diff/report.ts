// A whole `slo diff` result, and its three renderings: plain text for terminals, markdown for pull-request
// comments, JSON for scripts.
import type { ArtifactChange } from './artifactDiff';
import type { Change, Subject } from './specDiff';

export interface DiffReport {
  /** What was compared against: a git ref or a file. */
  base: string;
  changes: Change[];
  artifacts: ArtifactChange[];
}

export type Format = 'text' | 'markdown' | 'json';
export const FORMATS: readonly Format[] = ['text', 'markdown', 'json'];

export function hasChanges(report: DiffReport): boolean {
  return report.changes.length > 0 || report.artifacts.length > 0;
}

const SUBJECT: Record<Subject, string> = { service: 'service', slo: 'SLO', alert: 'alert', routing: 'route', spec: 'spec' };

/** One sentence per change, without markup. */
export function describeChange(c: Change): string {
  const what = `${SUBJECT[c.subject]} ${c.name}`;
  const detail = c.detail ? ` (${c.detail})` : '';
  switch (c.kind) {
    case 'added':
    case 'removed':
      return `${what}: ${c.kind}${detail}`;
    case 'renamed':
      return `${SUBJECT[c.subject]} ${c.before} renamed to ${c.after}${detail}`;
    case 'changed':
      return `${what}: ${c.field} ${c.before} → ${c.after}${detail}`;
  }
}

const STATUS_LETTER = { added: 'A', removed: 'D', modified: 'M' } as const;

export function formatText(report: DiffReport): string {
  if (!hasChanges(report)) return `slo diff against ${report.base}: no changes\n`;
  const lines = [`slo diff against ${report.base}: ${report.changes.length} spec change(s), ${report.artifacts.length} rendered file(s) changed`];
  const services = [...new Set(report.changes.map((c) => c.service))];
  for (const service of services) {
    lines.push('', `${service}:`);
    for (const c of report.changes.filter((x) => x.service === service)) lines.push(`  ${describeChange(c)}`);
  }
  if (report.artifacts.length > 0) {
    lines.push('', 'rendered files:');
    for (const a of report.artifacts) lines.push(`  ${STATUS_LETTER[a.status]} ${a.path} (+${a.added} -${a.removed})`);
    for (const a of report.artifacts) lines.push('', a.diff.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

/** Table cells: pipes would split the cell and newlines end the row. */
function cell(text: string | undefined): string {
  if (text === undefined || text === '') return '';
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string | undefined): string {
  if (text === undefined) return '';
  const t = text.replace(/\r?\n/g, ' ');
  const fence = t.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${cell(t)}${fence.length > 1 ? ' ' : ''}${fence}`;
}

/** GitHub rejects comments over 65,536 characters; raw diffs beyond this budget are cut, the summary never is. */
export const MARKDOWN_BUDGET = 60_000;

function fenced(diff: string): string {
  let fence = '```';
  while (diff.includes(fence)) fence += '`';
  return `${fence}diff\n${diff.trimEnd()}\n${fence}`;
}

export function formatMarkdown(report: DiffReport, budget = MARKDOWN_BUDGET): string {
  const out: string[] = [`### SLO changes against \`${report.base}\``, ''];
  if (!hasChanges(report)) return `${out.join('\n')}No changes to SLOs, alerts, routing or rendered files.\n`;
  if (report.changes.length > 0) {
    out.push('| service | what | change | before | after | meaning |', '|---|---|---|---|---|---|');
    for (const c of report.changes) {
      const change = c.kind === 'changed' ? code(c.field) : c.kind;
      const before = c.kind === 'renamed' ? code(c.before) : c.kind === 'changed' ? code(c.before) : '';
      const after = c.kind === 'renamed' ? code(c.after) : c.kind === 'changed' ? code(c.after) : '';
      out.push(`| ${cell(c.service)} | ${SUBJECT[c.subject]} ${code(c.name)} | ${change} | ${before} | ${after} | ${cell(c.detail)} |`);
    }
  } else {
    out.push('No change in meaning (SLOs, alerts, routing); the rendered files below still differ.');
  }
  if (report.artifacts.length > 0) {
    out.push('', `#### Rendered files (${report.artifacts.length})`, '', '| file | status | lines |', '|---|---|---|');
    for (const a of report.artifacts) out.push(`| ${code(a.path)} | ${a.status} | +${a.added} −${a.removed} |`);
    let used = out.join('\n').length;
    const omitted: string[] = [];
    for (const a of report.artifacts) {
      const block = ['', `<details><summary><code>${a.path}</code> (+${a.added} −${a.removed})</summary>`, '', fenced(a.diff), '', '</details>'].join('\n');
      if (used + block.length > budget) {
        omitted.push(a.path);
        continue;
      }
      out.push(block);
      used += block.length + 1;
    }
    if (omitted.length > 0) out.push('', `Raw diffs left out to fit a comment: ${omitted.map((p) => code(p)).join(', ')}; run \`slo diff\` locally to see them.`);
  }
  return `${out.join('\n')}\n`;
}

export function formatJson(report: DiffReport): string {
  return `${JSON.stringify({ base: report.base, changed: hasChanges(report), changes: report.changes, artifacts: report.artifacts }, null, 2)}\n`;
}

export function formatReport(report: DiffReport, format: Format): string {
  if (format === 'markdown') return formatMarkdown(report);
  if (format === 'json') return formatJson(report);
  return formatText(report);
}
