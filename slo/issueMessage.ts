// One zod issue as the words a spec author reads: what is wrong and what would be right, in YAML's terms.
import type { core } from 'zod';

/** zod's type names in the words of YAML. */
const TYPE_WORDS: Record<string, string> = { object: 'mapping', array: 'list' };

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The message for every issue but `unrecognized_keys`, which callers report per key. */
export function issueMessage(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const received = (issue as { input?: unknown }).input;
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      if (received === undefined) return `is required (${expected})`;
      return `must be ${article(expected)} (got ${describeValue(received)})`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `must have at least ${issue.minimum} item(s)` : issue.message;
    case 'too_big':
      return issue.origin === 'array' ? `must have at most ${issue.maximum} item(s)` : issue.message;
    default:
      return issue.message;
  }
}
