// Every query the generated artifacts run, as Prometheus receives it: recording rules, alert expressions split at
// `and`/`or`/`unless` with each operand's threshold comparison removed, and dashboard queries with Grafana's variables.
import type { SyntaxNode, Tree } from '@lezer/common';
import type { Artifacts } from '../../slo/generate';
import { dashboardQueries } from '../../dashboards/check';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser }: { parser: { parse(input: string): Tree } } = require('@prometheus-io/lezer-promql');

export interface LiveQuery {
  kind: 'recording rule' | 'alert' | 'dashboard';
  where: string;
  expr: string;
}

const SET_OPERATORS = new Set(['And', 'Or', 'Unless']);
const COMPARISONS = new Set(['Gtr', 'Gte', 'Lss', 'Lte', 'Eql', 'Neq']);

function operatorOf(node: SyntaxNode): string | undefined {
  for (let c = node.firstChild; c; c = c.nextSibling) if (SET_OPERATORS.has(c.name) || COMPARISONS.has(c.name)) return c.name;
  return undefined;
}

function unwrap(node: SyntaxNode): SyntaxNode {
  return node.name === 'PromQL' && node.firstChild ? unwrap(node.firstChild) : node;
}

/** The operands of top-level set operations, each without its top-level threshold comparison. */
export function alertOperands(expr: string): string[] {
  const tree = parser.parse(expr);
  const out: string[] = [];
  const visit = (node: SyntaxNode) => {
    const op = node.name === 'BinaryExpr' ? operatorOf(node) : undefined;
    const sides = () => {
      const exprs: SyntaxNode[] = [];
      for (let c = node.firstChild; c; c = c.nextSibling) {
        if (!SET_OPERATORS.has(c.name) && !COMPARISONS.has(c.name) && !['MatchingModifierClause', 'BoolModifier'].includes(c.name)) exprs.push(c);
      }
      return exprs;
    };
    if (op && SET_OPERATORS.has(op)) {
      for (const side of sides()) visit(side);
    } else if (op && COMPARISONS.has(op)) {
      // `x > 14.4` keeps x; `0.5 < x` keeps x: the side that is not a number.
      const [left, right] = sides();
      const keep = left.name === 'NumberDurationLiteral' ? right : left;
      out.push(expr.slice(keep.from, keep.to).trim());
    } else {
      out.push(expr.slice(node.from, node.to).trim());
    }
  };
  visit(unwrap(tree.topNode));
  return out;
}

/** Grafana's substitutions: the data source variable goes, `$__rate_interval` is 1m, selections match everything. */
export function grafanaToPromql(expr: string, variables: readonly string[]): string {
  return expr
    .replace(/\$\{?__rate_interval\}?/g, '1m')
    .replace(/\$\{?__interval\}?/g, '1m')
    .replace(/\$\{?__range\}?/g, '1h')
    .replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
      const name = braced ?? bare ?? '';
      return variables.includes(name) ? '.*' : whole;
    });
}

export function liveQueries(artifacts: Artifacts): LiveQuery[] {
  const queries: LiveQuery[] = [];
  for (const service of artifacts.services) {
    for (const group of service.rules.groups) {
      for (const rule of group.rules) {
        if ('record' in rule && rule.record) {
          const labels = Object.entries(rule.labels ?? {}).filter(([k]) => k === 'slo').map(([, v]) => v).join('');
          queries.push({ kind: 'recording rule', where: `${rule.record}${labels ? ` (${labels})` : ''}`, expr: rule.expr });
        } else if ('alert' in rule && rule.alert) {
          const labels = rule.labels ?? {};
          const name = [rule.alert, labels.slo, labels.long_window].filter(Boolean).join(' ');
          for (const operand of alertOperands(rule.expr)) queries.push({ kind: 'alert', where: name, expr: operand });
        }
      }
    }
  }
  for (const d of artifacts.dashboards) {
    const variables = (d.templating?.list ?? []).map((v) => v.name);
    for (const q of dashboardQueries(d)) queries.push({ kind: 'dashboard', where: `${d.uid}: ${q.where}`, expr: grafanaToPromql(q.expr, variables) });
  }
  return queries;
}
