// `slo status` output: a compact table, coloured on a terminal and plain text otherwise.
import { humanDuration } from '../duration';
import type { BurnRate, StatusReport } from './sloStatus';

export interface FormatOptions {
  colour: boolean;
}

const paint = (on: boolean, code: number) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

function percent(x: number | null, digits = 3): string {
  return x === null ? 'n/a' : `${(x * 100).toFixed(digits).replace(/\.?0+$/, '')}%`;
}

function burn(x: number | null): string {
  if (x === null) return '-';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function burnCell(b: BurnRate): string {
  return `${b.longWindow} ${burn(b.long)} / ${b.shortWindow} ${burn(b.short)}`;
}

function pad(text: string, width: number, visible = text.length): string {
  return text + ' '.repeat(Math.max(0, width - visible));
}

/** Strips colour codes to measure what a cell shows. */
const visibleLength = (s: string) => s.replace(/\u001b\[\d+m/g, '').length;

export function formatStatus(report: StatusReport, options: FormatOptions): string {
  const red = paint(options.colour, 31);
  const yellow = paint(options.colour, 33);
  const green = paint(options.colour, 32);
  const dim = paint(options.colour, 2);
  const bold = paint(options.colour, 1);

  const header = ['SLO', 'objective', 'SLI', 'budget left', 'burn rate (alert at)', 'firing'];
  const rows: string[][] = report.slos.map((s) => {
    const sliText = `${percent(s.sli)} ${dim(`/${s.window}${s.sliSource === 'partial' ? '*' : ''}`)}`;
    const sli = s.sli === null ? dim('no data') : s.sli * 100 >= s.objective ? green(sliText) : red(sliText);
    const left = s.budgetRemaining === null
      ? dim('n/a')
      : `${percent(s.budgetRemaining, 1)} (${humanDuration(s.budgetRemainingSeconds ?? 0)})`;
    const leftCell = s.budgetRemaining === null ? left : s.budgetRemaining <= 0 ? red(left) : s.budgetRemaining < 0.5 ? yellow(left) : green(left);
    const burns = s.burnRates.map((b) => {
      const over = b.long !== null && b.short !== null && b.long > b.factor && b.short > b.factor;
      const cell = `${burnCell(b)} (${b.factor})`;
      return over ? red(cell) : cell;
    }).join(', ') || dim('no burn alerts');
    const firing = s.firing.length === 0
      ? dim('none')
      : red(s.firing.map((a) => `${a.alertname}{${a.severity}${a.labels.long_window ? `,${a.labels.long_window}` : ''}}`).join(' '));
    return [bold(s.slo), `${s.objective}%`, sli, leftCell, burns, firing];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i]))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i], visibleLength(c)))).join('  ').trimEnd();
  const out = [
    dim(`Prometheus ${report.prometheus} at ${report.at}`),
    line(header.map((h) => bold(h))),
    ...rows.map(line),
  ];
  if (report.slos.some((s) => s.sliSource === 'partial')) {
    out.push(dim('* window series not recorded yet (hourly tiles start at the first full hour): averaged from the 5m series over the history there is'));
  }
  if (report.otherAlerts.length > 0) {
    out.push(`other firing alerts: ${red(report.otherAlerts.map((a) => `${a.alertname}{${a.severity}}`).join(' '))}`);
  }
  return `${out.join('\n')}\n`;
}
