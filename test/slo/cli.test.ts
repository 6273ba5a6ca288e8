// The `slo` command as a user runs it: exit codes, one line per problem, no stack traces, no half-written output.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Result { code: number; stdout: string; stderr: string }

function slo(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile('node', ['bin/slo.js', ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('slo validate', () => {
  it('exits 0 for the shipped specs', async () => {
    const r = await slo('validate');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('slo/digital-twin-mcp.yaml: ok (4 SLOs, 5 alerts)');
  });

  it('exits 1 with one located line per problem, no stack trace', async () => {
    const r = await slo('validate', 'test/slo/invalid/unknown-slo-key.yaml', 'test/slo/invalid/objective-100.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'test/slo/invalid/unknown-slo-key.yaml:4:5: slos.0.objective: is required (number)',
      'test/slo/invalid/unknown-slo-key.yaml:5:5: slos.0.objectiv: unknown key `objectiv`; did you mean `objective`?',
      'test/slo/invalid/objective-100.yaml:5:16: slos.0.objective: must be below 100: a 100% objective leaves no error budget',
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('slo render', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'slo-cli-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes rules, tests, the Alertmanager config and dashboards', async () => {
    const r = await slo('render', '--out', dir);
    expect(r.code).toBe(0);
    for (const f of ['prometheus/rules/digital-twin-mcp.rules.yaml', 'prometheus/tests/digital-twin-mcp.test.yaml', 'alertmanager/alertmanager.yml']) {
      expect(existsSync(join(dir, f))).toBe(true);
    }
  });

  it('leaves the previous output whole when a spec is invalid', async () => {
    await slo('render', '--out', dir);
    const before = readFileSync(join(dir, 'alertmanager/alertmanager.yml'), 'utf8');
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    const r = await slo('render', 'test/slo/invalid/objective-100.yaml', '--out', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid spec, nothing written');
    expect(readFileSync(join(dir, 'alertmanager/alertmanager.yml'), 'utf8')).toBe(before);
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
  });
});

describe('slo render --stack', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'slo-stack-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('renders what the production stack ships: its webhook URL, SMTP relay and runbook links', async () => {
    const r = await slo('render', '--stack', 'production', '--out', dir);
    expect(r.code).toBe(0);
    const am = readFileSync(join(dir, 'alertmanager/alertmanager.yml'), 'utf8');
    expect(am).toContain('url: http://digital-twin-mcp.digital-twin.svc.cluster.local:8080/alerts/webhook');
    expect(am).toContain('smtp_smarthost: smtp.digitaltwin.example.com:587');
    const rules = readFileSync(join(dir, 'prometheus/rules/digital-twin-mcp.rules.yaml'), 'utf8');
    expect(rules).toContain('runbook_url: https://github.com/digital-twin/digital-twin-observability/blob/main/RUNBOOK.md#higherrorrate');
  });

  it('names a stack that does not exist, exit 2', async () => {
    const r = await slo('render', '--stack', 'prod', '--out', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/slo render: no stack file .*Pulumi\.prod\.yaml \(stacks: staging, production\)/);
  });
});

describe('bad command lines', () => {
  it('an unknown command exits 2 with the usage', async () => {
    const r = await slo('valdiate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^slo: unknown command `valdiate`\nusage: slo <command>/);
  });

  it('an unknown option exits 2 naming it', async () => {
    const r = await slo('render', '--outt', 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("slo render: Unknown option '--outt'");
  });
});
