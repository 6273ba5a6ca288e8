// `slo diff` against a scripted git history in a temporary repository: what a reviewer reads for each kind of change.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { runDiff } from '../../../slo/cli/diff';
import { CliError } from '../../../slo/cli/command';
import type { Change } from '../../../slo/diff/specDiff';

const SLO_BIN = resolve(__dirname, '../../../bin/slo.js');

const BASE_SPEC = `# yaml-language-server: $schema=./slo.schema.json
service: shop
labels: { team: web }
slos:
  - name: availability
    objective: 99.9
    window: 30d
    sli:
      ratio:
        errors: http_requests_total{status_code=~"5.."}
        total: http_requests_total
  - name: latency-p95
    objective: 95
    sli:
      latency:
        histogram: http_request_duration_seconds
        threshold: 1
alerts:
  - name: HighErrorRate
    expr: sum(rate(errors_total[5m])) > 10
    for: 5m
    severity: critical
    summary: High error rate
    description: Many errors.
  - name: DatabasePoolExhaustion
    expr: max by (instance) (database_pool_connections_active / database_pool_connections_max) > 0.9
    for: 2m
    severity: warning
    summary: Pool near exhaustion
    description: The pool is almost full.
routing:
  - severity: critical
    receivers:
      - pagerduty: { service: shop }
      - slack: { channel: "#alerts-critical" }
  - severity: warning
    receivers:
      - slack: { channel: "#alerts-warning" }
`;

const NEW_SLO = `  - name: cache-hit-rate
    objective: 80
    sli:
      ratio:
        good: cache_hits_total
        total: [cache_hits_total, cache_misses_total]
    alerting: { page: false, ticket: true }
`;

const POOL_ALERT = /  - name: DatabasePoolExhaustion\n(    .*\n)+?(?=routing:)/;

let repo: string;

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
}

function writeSpec(text: string, name = 'shop.yaml'): void {
  writeFileSync(join(repo, 'slo', name), text);
}

function commit(text: string, message: string): void {
  writeSpec(text);
  git('add', '-A');
  git('commit', '-q', '-m', message);
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function diff(...argv: string[]): Promise<{ code: number; out: string }> {
  const out = new Capture();
  const code = await runDiff(argv, { out, err: new Capture() }, repo);
  return { code, out: out.text };
}

async function changes(...argv: string[]): Promise<Change[]> {
  const { out } = await diff(...argv, '--format', 'json');
  return JSON.parse(out).changes;
}

/** Runs the real `slo` binary in the temporary repository. */
function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('node', [SLO_BIN, ...argv], { cwd: repo }, (error, stdout, stderr) => {
      done({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

// History: v1 base spec; v2 objective 99.95; v3 adds cache-hit-rate; v4 removes an alert; v5 adds email to warning.
const v2 = BASE_SPEC.replace('objective: 99.9\n', 'objective: 99.95\n');
const v3 = v2.replace('alerts:\n', `${NEW_SLO}alerts:\n`);
const v4 = v3.replace(POOL_ALERT, '');
const v5 = v4.replace('      - slack: { channel: "#alerts-warning" }\n', '      - slack: { channel: "#alerts-warning" }\n      - email: { to: web-team@example.com }\n');

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'slo-diff-'));
  git('init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'slo'));
  commit(BASE_SPEC, 'v1');
  commit(v2, 'objective 99.95');
  commit(v3, 'new SLO');
  commit(v4, 'remove pool alert');
  commit(v5, 'email the web team on warnings');
  expect(v4).not.toContain('DatabasePoolExhaustion');
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

afterEach(() => git('checkout', '-q', '--', '.'));

describe('slo diff --base REF', () => {
  it('reports no change and exits 0 when the working tree matches the ref', async () => {
    const { code, out } = await diff('--base', 'HEAD');
    expect(code).toBe(0);
    expect(out).toBe('slo diff against HEAD: no changes\n');
  });

  it('shows an objective change with the error budget as time before and after', async () => {
    writeSpec(v2);
    const found = await changes('--base', 'HEAD~4', 'slo/shop.yaml');
    expect(found).toHaveLength(1);
    const objective = found.find((c) => c.field === 'objective');
    expect(objective).toMatchObject({
      subject: 'slo', name: 'availability', kind: 'changed', before: '99.9%', after: '99.95%',
      detail: 'error budget 43 min 12 s per 30d → 21 min 36 s per 30d',
    });
    const { code, out } = await diff('--base', 'HEAD~4');
    expect(code).toBe(1);
    expect(out).toContain('SLO availability: objective 99.9% → 99.95% (error budget 43 min 12 s per 30d → 21 min 36 s per 30d)');
    // The rendered rules change too: the error budget the burn rates divide by.
    expect(out).toMatch(/^--- a\/prometheus\/rules\/shop\.rules\.yaml$/m);
    expect(out).toMatch(/^-.*\/ 0\.001$/m);
    expect(out).toMatch(/^\+.*\/ 0\.0005$/m);
  });

  it('shows a new SLO with its budget, and the files it adds to', async () => {
    writeSpec(v3);
    const found = await changes('--base', 'HEAD~3');
    expect(found).toEqual([
      expect.objectContaining({ subject: 'slo', name: 'cache-hit-rate', kind: 'added', detail: expect.stringContaining('80% over 30d, error budget 6 d per 30d') }),
    ]);
    const { out } = await diff('--base', 'HEAD~3', '--format', 'json');
    const paths = JSON.parse(out).artifacts.map((a: { path: string }) => a.path);
    expect(paths).toEqual(expect.arrayContaining(['prometheus/rules/shop.rules.yaml', 'grafana/dashboards/shop-slos.json']));
  });

  it('shows a removed alert, and the rule that goes with it', async () => {
    writeSpec(v4);
    const { code, out } = await diff('--base', 'HEAD~2');
    expect(code).toBe(1);
    const found = await changes('--base', 'HEAD~2');
    expect(found).toEqual([expect.objectContaining({ subject: 'alert', name: 'DatabasePoolExhaustion', kind: 'removed' })]);
    expect(out).toMatch(/^-\s+- alert: DatabasePoolExhaustion$/m);
  });

  it('shows which receivers a severity reaches after a routing change', async () => {
    const found = await changes('--base', 'HEAD~1');
    expect(found).toEqual([
      expect.objectContaining({
        subject: 'routing', name: 'warning', kind: 'changed', field: 'receivers',
        before: 'slack-alerts-warning', after: 'slack-alerts-warning, email-web-team-at-example-com',
        detail: 'warning alerts now also reach email-web-team-at-example-com',
      }),
    ]);
    const { out } = await diff('--base', 'HEAD~1');
    expect(out).toMatch(/^\+\s+- receiver: email-web-team-at-example-com$/m);
  });

  it('reads uncommitted edits of the working tree, and calls a same-SLI, same-objective SLO under a new name a rename', async () => {
    writeSpec(v5.replace('- name: latency-p95', '- name: latency-fast'));
    const found = await changes('--base', 'HEAD');
    expect(found).toEqual([expect.objectContaining({ subject: 'slo', kind: 'renamed', before: 'latency-p95', after: 'latency-fast' })]);
  });

  it('reports window and threshold changes', async () => {
    writeSpec(v5.replace('threshold: 1\n', 'threshold: 3\n').replace('window: 30d', 'window: 28d'));
    const found = await changes('--base', 'HEAD');
    expect(found).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'availability', field: 'window', before: '30d', after: '28d', detail: 'error budget 21 min 36 s per 30d → 20 min 10 s per 28d' }),
      expect.objectContaining({ name: 'latency-p95', field: 'sli.latency.threshold', before: '1 s', after: '3 s' }),
    ]));
  });

  it('sees a spec file that is new in the working tree as a new service', async () => {
    writeSpec(BASE_SPEC.replace('service: shop', 'service: search'), 'search.yaml');
    try {
      const found = await changes('--base', 'HEAD');
      expect(found[0]).toMatchObject({ subject: 'service', name: 'search', kind: 'added' });
    } finally {
      rmSync(join(repo, 'slo', 'search.yaml'));
    }
  });
});

describe('slo diff formats', () => {
  it('markdown: a summary table, then each rendered file in a collapsed ```diff block', async () => {
    const { out } = await diff('--base', 'HEAD~4', '--format', 'markdown');
    expect(out).toContain('### SLO changes against `HEAD~4`');
    expect(out).toContain('| shop | SLO `availability` | `objective` | `99.9%` | `99.95%` | error budget 43 min 12 s per 30d → 21 min 36 s per 30d |');
    expect(out).toContain('| shop | SLO `cache-hit-rate` | added |');
    expect(out).toContain('| shop | alert `DatabasePoolExhaustion` | removed |');
    expect(out).toContain('<details><summary><code>prometheus/rules/shop.rules.yaml</code>');
    expect(out).toMatch(/```diff\n--- a\/alertmanager\/alertmanager\.yml\n\+\+\+ b\/alertmanager\/alertmanager\.yml\n@@ /);
    expect(out.split('<details>').length - 1).toBe(out.split('</details>').length - 1);
  });

  it('markdown: says so when nothing changed', async () => {
    const { out } = await diff('--base', 'HEAD', '--format', 'markdown');
    expect(out).toContain('No changes to SLOs, alerts, routing or rendered files.');
  });

  it('json: changed flag, changes and artifacts for scripts', async () => {
    const same = JSON.parse((await diff('--base', 'HEAD', '--format', 'json')).out);
    expect(same).toEqual({ base: 'HEAD', changed: false, changes: [], artifacts: [] });
    const changed = JSON.parse((await diff('--base', 'HEAD~1', '--format', 'json')).out);
    expect(changed.changed).toBe(true);
    expect(changed.artifacts[0]).toEqual(expect.objectContaining({ path: 'alertmanager/alertmanager.yml', status: 'modified', added: expect.any(Number), diff: expect.stringContaining('@@') }));
  });
});

describe('slo diff errors', () => {
  it('rejects a base that is neither a file nor a commit', async () => {
    await expect(diff('--base', 'no-such-branch')).rejects.toThrow(/--base no-such-branch: neither a file nor a git commit/);
  });

  it('locates a problem in the working tree spec and in the spec at the ref', async () => {
    writeSpec(v5.replace('objective: 99.95', 'objective: 100'));
    const error = await diff('--base', 'HEAD').catch((e: CliError) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toMatch(/^slo\/shop\.yaml:6:16: slos\.0\.objective: must be below 100/m);
  });

  it('exits 0, 1 and 2 from the real binary', async () => {
    expect((await cli('diff', '--base', 'HEAD')).code).toBe(0);
    const changed = await cli('diff', '--base', 'HEAD~1');
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('route warning: receivers');
    const bad = await cli('diff', '--base', 'HEAD', '--format', 'yaml');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('slo diff: --format must be one of text, markdown, json (got yaml)\n');
  });
});
