// PromQL through Prometheus's own Lezer grammar: syntax errors with a position, and the metrics an expression reads.
import type { SyntaxNode, Tree } from '@lezer/common';

// The package is an ES module with a CommonJS build; its typings only describe the former, hence require().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser }: { parser: { parse(input: string): Tree } } = require('@prometheus-io/lezer-promql');

export type Parsed<T> = { ok: true; value: T } | { ok: false; offset: number; message: string };

export interface LabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface Selector {
  metric: string;
  /** The matchers as written, without braces: `status_code=~"5.."`; empty when there are none. */
  matchers: string;
  labelMatchers: LabelMatcher[];
}

/** The value of a PromQL string literal: double quotes follow Go (JSON-like) escapes, backticks are raw. */
function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  if (literal.startsWith("'")) return JSON.parse(`"${literal.slice(1, -1).replace(/"/g, '\\"').replace(/\\'/g, "'")}"`);
  return JSON.parse(literal);
}

function firstError(tree: Tree, src: string): Parsed<never> | undefined {
  let error: Parsed<never> | undefined;
  tree.iterate({
    enter(node) {
      if (error) return false;
      if (node.type.isError) {
        const found = src.slice(node.from).trim();
        error = {
          ok: false,
          offset: node.from,
          message: found ? `unexpected ${JSON.stringify(found.slice(0, 20))}` : 'unexpected end of expression',
        };
        return false;
      }
      return undefined;
    },
  });
  return error;
}

/** Parses an expression; on success returns the names of the metrics it selects. */
export function parseExpr(src: string): Parsed<{ metrics: string[] }> {
  if (src.trim() === '') return { ok: false, offset: 0, message: 'empty expression' };
  const tree = parser.parse(src);
  const error = firstError(tree, src);
  if (error) return error;
  return { ok: true, value: { metrics: selectedMetrics(tree.topNode, src) } };
}

function selectedMetrics(top: SyntaxNode, src: string): string[] {
  const names = new Set<string>();
  const cursor = top.cursor();
  do {
    if (cursor.name !== 'VectorSelector') continue;
    const node = cursor.node;
    const ident = node.getChild('Identifier');
    if (ident) names.add(src.slice(ident.from, ident.to));
    const byName = nameMatcher(node, src);
    if (byName) names.add(byName);
  } while (cursor.next());
  return [...names];
}

/** The metric named by `{__name__="x"}`, if any. */
function nameMatcher(selector: SyntaxNode, src: string): string | undefined {
  const matchers = selector.getChild('LabelMatchers');
  if (!matchers) return undefined;
  for (let m = matchers.firstChild; m; m = m.nextSibling) {
    const label = m.getChild('LabelName');
    const op = m.getChild('MatchOp');
    const value = m.getChild('StringLiteral');
    if (label && op && value && src.slice(label.from, label.to) === '__name__' && src.slice(op.from, op.to) === '=') {
      return src.slice(value.from + 1, value.to - 1);
    }
  }
  return undefined;
}

/** Parses a plain instant-vector selector such as `http_requests_total{status_code=~"5.."}`. */
export function parseSelector(src: string): Parsed<Selector> {
  const text = src.trim();
  const parsed = parseExpr(text);
  if (!parsed.ok) return parsed;
  const top = parser.parse(text).topNode.firstChild;
  if (!top || top.name !== 'VectorSelector' || top.from !== 0 || top.to !== text.length) {
    return { ok: false, offset: 0, message: 'must be a plain series selector such as metric_name{label="value"}, not an expression' };
  }
  const ident = top.getChild('Identifier');
  if (!ident) return { ok: false, offset: 0, message: 'must start with a metric name' };
  const matchers = top.getChild('LabelMatchers');
  const labelMatchers: LabelMatcher[] = [];
  for (let m = matchers?.firstChild; m; m = m.nextSibling) {
    const label = m.getChild('LabelName');
    const op = m.getChild('MatchOp');
    const value = m.getChild('StringLiteral');
    if (!label || !op || !value) continue;
    labelMatchers.push({
      name: text.slice(label.from, label.to),
      op: text.slice(op.from, op.to) as LabelMatcher['op'],
      value: unquote(text.slice(value.from, value.to)),
    });
  }
  return {
    ok: true,
    value: {
      metric: text.slice(ident.from, ident.to),
      matchers: matchers ? text.slice(matchers.from + 1, matchers.to - 1).trim() : '',
      labelMatchers,
    },
  };
}

/** Writes a selector back with extra matchers appended: `m{a="b"}` + `le="1"` -> `m{a="b",le="1"}`. */
export function selectorWith(selector: Selector, metric: string, ...extra: string[]): string {
  const all = [selector.matchers, ...extra].filter((m) => m !== '');
  return all.length ? `${metric}{${all.join(',')}}` : metric;
}
