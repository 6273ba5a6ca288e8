// Bad Sloth and OpenSLO files: every problem located as FILE:LINE:COLUMN with a field path, exit 1, nothing written.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { CliError } from '../../../slo/cli/command';
import { importCommand } from '../../../slo/cli/import';

const FIXTURES = resolve(__dirname, '../../fixtures');
const ROOT = resolve(__dirname, '../../..');

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'slo-import-bad-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `slo import` on a fixture with --out, expecting failure; returns the message lines. */
async function failingImport(from: string, fixture: string): Promise<string[]> {
  const file = relative(ROOT, join(FIXTURES, from, fixture));
  const out = join(dir, `${fixture}.yaml`);
  const io = { out: new Sink(), err: new Sink() };
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const error = await importCommand(['--from', from, file, '--out', out], io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(io.out.text).toBe('');
    const message = (error as CliError).message;
    expect(message).not.toMatch(/^\s+at /m); // no stack trace
    const [head, ...lines] = message.split('\n');
    expect(head).toBe('cannot import, nothing written:');
    return lines;
  } finally {
    process.chdir(cwd);
  }
}

describe('bad Sloth files', () => {
  const at = (name: string) => `test/fixtures/sloth/${name}`;

  it.each([
    ['bad-raw-sli.yml', [`${at('bad-raw-sli.yml')}:8:9: slos.0.sli.raw: SLO requests-availability: a raw error-ratio query cannot be mapped`]],
    ['bad-sum-by.yml', [
      `${at('bad-sum-by.yml')}:14:22: slos.1.sli.events.error_query: SLO per-route: cannot map error_query onto a ratio of selectors: it aggregates \`by\`/\`without\` labels`,
      `${at('bad-sum-by.yml')}:15:22: slos.1.sli.events.total_query: SLO per-route: cannot map total_query`,
    ]],
    ['bad-fixed-window.yml', [`${at('bad-fixed-window.yml')}:8:22: slos.0.sli.events.error_query: SLO requests-availability: cannot map error_query onto a ratio of selectors: it does not use {{.window}}`]],
    ['bad-typo-and-objective.yml', [
      `${at('bad-typo-and-objective.yml')}:5:16: slos.0.objective: must be a number (got string "99.9%")`,
      `${at('bad-typo-and-objective.yml')}:11:7: slos.0.alerting.page_alrt: unknown field \`page_alrt\``,
    ]],
    ['bad-name.yml', [`${at('bad-name.yml')}:4:11: slos.0.name: must be lower-case letters, digits and dashes, starting with a letter`]],
    ['bad-yaml.yml', [`${at('bad-yaml.yml')}:5:16: YAML: Nested mappings are not allowed in compact mappings`]],
  ])('%s', async (fixture, expected) => {
    const lines = await failingImport('sloth', fixture);
    expect(lines.length).toBeGreaterThanOrEqual(expected.length);
    expected.forEach((prefix, i) => expect(lines[i].startsWith(prefix)).toBe(true));
  });
});

describe('bad OpenSLO files', () => {
  const at = (name: string) => `test/fixtures/openslo/${name}`;

  it.each([
    ['bad-missing-sli.yaml', [`${at('bad-missing-sli.yaml')}:7:17: spec.indicatorRef: SLO checkout-availability: no SLI named \`checkout-errrors\` in this file`]],
    ['bad-target-and-calendar.yaml', [
      `${at('bad-target-and-calendar.yaml')}:24:7: spec.timeWindow.0: SLO checkout-availability: calendar windows cannot be imported`,
      `${at('bad-target-and-calendar.yaml')}:31:15: spec.objectives.0.target: SLO checkout-availability: must be a ratio between 0 and 1 such as 0.999 (got 99.5; for 99.9 use targetPercent)`,
    ]],
    ['bad-query-and-source.yaml', [
      `${at('bad-query-and-source.yaml')}:15:19: spec.indicator.spec.ratioMetric.bad.metricSource.type: only Prometheus metric sources can be imported (got Datadog)`,
      `${at('bad-query-and-source.yaml')}:22:22: spec.indicator.spec.ratioMetric.total.metricSource.spec.query: cannot map onto a selector: it is neither a plain counter selector nor of the form sum(rate(SELECTOR[range]))`,
      `${at('bad-query-and-source.yaml')}:26:20: spec.budgetingMethod: SLO checkout-availability: must be Occurrences (got Timeslices)`,
    ]],
    ['bad-version-and-fields.yaml', [
      `${at('bad-version-and-fields.yaml')}:1:13: apiVersion: must be openslo/v1 (got openslo/v1alpha)`,
      `${at('bad-version-and-fields.yaml')}:11:3: metadata.name: is required (string)`,
      `${at('bad-version-and-fields.yaml')}:15:15: spec.timeWindow: must have at least 1 item(s)`,
      `${at('bad-version-and-fields.yaml')}:17:15: spec.objectives: must have at least 1 item(s)`,
    ]],
    ['bad-threshold-metric.yaml', [`${at('bad-threshold-metric.yaml')}:7:5: spec.thresholdMetric: SLO checkout-latency: only ratioMetric SLIs can be imported`]],
  ])('%s', async (fixture, expected) => {
    const lines = await failingImport('openslo', fixture);
    expect(lines.length).toBe(expected.length);
    expected.forEach((prefix, i) => expect(lines[i].startsWith(prefix)).toBe(true));
  });
});

describe('slo import arguments', () => {
  it('names the formats it reads', async () => {
    await expect(importCommand(['--from', 'nobl9', 'x.yaml'], { out: new Sink(), err: new Sink() })).rejects.toThrow('--from must be one of sloth, openslo (got nobl9)');
  });

  it('says when the file does not exist', async () => {
    await expect(importCommand(['--from', 'sloth', join(dir, 'missing.yml')], { out: new Sink(), err: new Sink() })).rejects.toThrow(/missing\.yml: no such file/);
  });
});
