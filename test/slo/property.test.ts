// Property tests: whatever the input, the loader returns a Spec or throws its own SpecError, never anything else.
import fc from 'fast-check';
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { parseSpec, SpecError } from '../../slo/load';

function onlySpecErrors(text: string): boolean {
  try {
    parseSpec(text, 'fuzz.yaml');
    return true;
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return e.problems.length > 0 && e.problems.every((p) => p.line >= 1 && p.column >= 1 && p.message.length > 0);
  }
}

const shipped = readFileSync('slo/digital-twin-mcp.yaml', 'utf8');
const shippedDoc = yaml.load(shipped) as Record<string, unknown>;

describe('loader robustness (fast-check)', () => {
  it('arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), onlySpecErrors), { numRuns: 400 });
  });

  it('arbitrary JSON values written as YAML', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => onlySpecErrors(yaml.dump(v))), { numRuns: 300 });
  });

  it('the shipped spec with one field replaced by an arbitrary value', () => {
    const paths: Array<Array<string | number>> = [
      ['service'], ['labels'], ['slos'], ['slos', 0], ['slos', 0, 'objective'], ['slos', 0, 'window'], ['slos', 0, 'sli'],
      ['slos', 0, 'sli', 'ratio', 'errors'], ['slos', 1, 'sli', 'latency', 'threshold'], ['slos', 1, 'alerting'],
      ['alerts', 0, 'expr'], ['alerts', 0, 'for'], ['routing'], ['routing', 0, 'receivers', 0],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), (path, value) => {
        const doc = structuredClone(shippedDoc);
        let node: Record<string | number, unknown> = doc;
        for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
        node[path[path.length - 1]] = value;
        return onlySpecErrors(yaml.dump(doc));
      }),
      { numRuns: 400 },
    );
  });

  it('truncations of the shipped spec', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: shipped.length }), (n) => onlySpecErrors(shipped.slice(0, n))), { numRuns: 200 });
  });
});
