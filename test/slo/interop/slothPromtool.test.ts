// The Sloth reference spec imports, renders and passes promtool; fed the same series, our error ratios match
// the ones Sloth's own generated rules compute, window by window.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { writeArtifacts } from '../../../slo/cli/render';
import { generate, rulesPath } from '../../../slo/generate';
import { importSloth } from '../../../slo/interop/sloth';
import { recordedWindows } from '../../../slo/rules/windows';

// A verbatim copy of shared/reference/sloth, so the test does not depend on a folder outside the repository.
const REFERENCE = resolve(__dirname, '../../fixtures/sloth/reference');
const SLOTH_SPEC = join(REFERENCE, 'getting-started.yml');
const SLOTH_RULES = join(REFERENCE, 'getting-started.generated.yml');

let out: string;

function promtool(...args: string[]): string {
  try {
    return execFileSync('promtool', args, { cwd: out, encoding: 'utf8', stdio: 'pipe', maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

const imported = importSloth(readFileSync(SLOTH_SPEC, 'utf8'), 'getting-started.yml');

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'slo-sloth-'));
  writeArtifacts(out, generate([imported.spec]).files);
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the Sloth getting-started spec, imported', () => {
  it('maps the events SLI onto a ratio of the same selectors', () => {
    expect(imported.spec.service).toBe('myservice');
    expect(imported.spec.labels).toEqual({ owner: 'myteam', repo: 'myorg/myservice', tier: '2' });
    expect(imported.spec.slos).toEqual([
      expect.objectContaining({
        name: 'requests-availability',
        objective: 99.9,
        window: '30d',
        description: 'Common SLO based on availability for HTTP request responses.',
        sli: { ratio: { errors: 'http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}', total: 'http_request_duration_seconds_count{job="myservice"}' } },
        alerting: { page: true, ticket: true, minEvents: 30 },
      }),
    ]);
    expect(imported.yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=./slo.schema.json');
  });

  it('says what it could not carry over: alert name, labels, annotations and the routing it made up', () => {
    const notes = imported.notes.join('\n');
    expect(notes).toContain('alert name MyServiceHighErrorRate not carried over');
    expect(notes).toContain('page_alert labels {"severity":"pageteam","routing_key":"myteam"} not carried over');
    expect(notes).toContain('ticket_alert labels {"severity":"slack","slack_channel":"#alerts-myteam"} not carried over');
    expect(notes).toContain('alert annotations (summary) not carried over');
    expect(notes).toContain('routing: none in the source; added critical → PagerDuty');
  });

  it('renders rules that pass promtool check rules and the generated promtool tests', () => {
    expect(promtool('check', 'rules', rulesPath('myservice'))).toMatch(/SUCCESS: \d+ rules found/);
    const tests = readdirSync(join(out, 'prometheus/tests')).map((f) => join('prometheus/tests', f));
    expect(tests.length).toBeGreaterThan(0);
    expect(promtool('test', 'rules', ...tests)).toContain('SUCCESS');
  }, 120_000);
});

describe('our error ratios against Sloth-generated rules on the same series', () => {
  // Steady traffic with a constant error ratio: 1000 requests a minute, of which 6 answer 500 and 4 answer 429
  // (errors for this SLO) and 10 answer 404 (not errors): an error ratio of exactly 1% in every window.
  // Under steady traffic every window is exact on both sides once it is full: Sloth takes rate() over the
  // window, we average 5m rates (up to 6h) or hourly tiles (1d, 3d, 30d). At 3d + 2h every window up to 3d
  // is full. The 30d window is not, but both sides then average a constant (Sloth averages 5m ratios, we
  // average hourly rates), so 30d is compared too; with varying traffic they would differ by design, since
  // ours is traffic-weighted and Sloth's 30d is not.
  const EVAL_MINUTES = 3 * 24 * 60 + 120;
  const series = (code: string, perMinute: number) => ({
    series: `http_request_duration_seconds_count{job="myservice",code="${code}"}`,
    values: `0+${perMinute}x${EVAL_MINUTES + 10}`,
  });
  const windows = recordedWindows(imported.spec.slos[0]);
  const ours = (w: string) => `sum(slo:sli_error:ratio_rate${w}{service="myservice",slo="requests-availability"})`;
  const sloth = (w: string) => `sum(slo:sli_error:ratio_rate${w}{sloth_id="myservice-requests-availability"})`;

  it('compares every window both rule sets record', () => {
    const slothWindows = (yaml.load(readFileSync(SLOTH_RULES, 'utf8')) as { groups: Array<{ rules: Array<{ record?: string; labels?: Record<string, string> }> }> })
      .groups.flatMap((g) => g.rules)
      .filter((r) => r.record === 'slo:sli_error:ratio_rate' + r.labels?.sloth_window)
      .map((r) => r.labels!.sloth_window);
    expect(windows).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d']);
    expect(slothWindows).toEqual(windows);
  });

  it('matches within 1% in every window (promtool, both rule files loaded)', () => {
    copyFileSync(SLOTH_RULES, join(out, 'sloth.rules.yaml'));
    const evalTime = `${EVAL_MINUTES}m`;
    const test = {
      rule_files: [rulesPath('myservice'), 'sloth.rules.yaml'],
      // Rules every 5m (samples stay at 1m, so every rate window holds several): the same exact values,
      // a fifth of promtool's work.
      evaluation_interval: '5m',
      tests: [
        {
          interval: '1m',
          input_series: [series('200', 980), series('404', 10), series('500', 6), series('429', 4)],
          promql_expr_test: windows.flatMap((w) => [
            // Relative difference under 1%; `bool` turns a mismatch into 0 instead of an empty result.
            { expr: `abs(${ours(w)} - ${sloth(w)}) / ${sloth(w)} < bool 0.01`, eval_time: evalTime, exp_samples: [{ labels: '{}', value: 1 }] },
            // And both are the 1% the series encode, so two rule sets agreeing on nothing (or zero) cannot pass.
            { expr: `abs(${ours(w)} - 0.01) < bool 1e-9`, eval_time: evalTime, exp_samples: [{ labels: '{}', value: 1 }] },
            { expr: `abs(${sloth(w)} - 0.01) < bool 1e-9`, eval_time: evalTime, exp_samples: [{ labels: '{}', value: 1 }] },
          ]),
        },
      ],
    };
    writeFileSync(join(out, 'compare.test.yaml'), yaml.dump(test, { lineWidth: -1 }));
    expect(promtool('test', 'rules', 'compare.test.yaml')).toContain('SUCCESS');
  }, 180_000);
});
