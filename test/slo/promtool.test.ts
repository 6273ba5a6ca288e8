// The rendered output of both specs through the real tools: promtool check/test rules, amtool check-config and routes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeArtifacts } from '../../slo/cli/render';
import { generate } from '../../slo/generate';
import { loadSpecFile } from '../../slo/load';

const run = promisify(execFile);

async function tool(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(cmd, args, { maxBuffer: 16 << 20 });
    return stdout + stderr;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? err.message}`);
  }
}

const cases = [
  { spec: 'slo/digital-twin-mcp.yaml', service: 'digital-twin-mcp', critical: 'app-alert-intake,pagerduty-digital-twin-mcp,slack-alerts-critical,email-oncall-at-digitaltwin-example-com' },
  { spec: 'test/fixtures/specs/checkout-api.yaml', service: 'checkout-api', critical: 'app-alert-intake,pagerduty-payments,slack-payments-oncall' },
];

describe.each(cases)('$spec rendered', ({ spec, service, critical }) => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'slo-render-'));
    writeArtifacts(out, generate([loadSpecFile(spec)]).files);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('passes promtool check rules', async () => {
    expect(await tool('promtool', ['check', 'rules', join(out, `prometheus/rules/${service}.rules.yaml`)])).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('passes its generated promtool unit tests (each tier fires in time, just-under and a trickle stay silent)', async () => {
    const dir = join(out, 'prometheus/tests');
    const files = readdirSync(dir).map((f) => join(dir, f));
    expect(files).toHaveLength(2);
    // The two files run side by side: the slow-burn one simulates four days and dominates.
    const outputs = await Promise.all(files.map((f) => tool('promtool', ['test', 'rules', f])));
    for (const o of outputs) expect(o).toContain('SUCCESS');
  }, 600_000);

  it('passes amtool check-config, and critical alerts reach every critical receiver', async () => {
    const config = join(out, 'alertmanager/alertmanager.yml');
    expect(await tool('amtool', ['check-config', config])).toContain('SUCCESS');
    // amtool prints the receivers on stdout (and a warning about --alertmanager.url on stderr).
    const { stdout } = await run('amtool', ['config', 'routes', 'test', `--config.file=${config}`, 'severity=critical']);
    expect(stdout.trim()).toBe(critical);
  });
});

describe('a broken rule is caught by the same checks', () => {
  it('promtool test rules fails when the page threshold is wrong', async () => {
    const out = mkdtempSync(join(tmpdir(), 'slo-broken-'));
    try {
      const artifacts = generate([loadSpecFile('slo/digital-twin-mcp.yaml')]);
      // Sabotage: the 1h page alert of availability now needs a 100x burn, so the generated test must fail.
      const files = artifacts.files.map((f) => (f.path.endsWith('.rules.yaml') ? { ...f, content: f.content.replace('slo="availability"} > 14.4', 'slo="availability"} > 100') } : f));
      writeArtifacts(out, files);
      await expect(tool('promtool', ['test', 'rules', join(out, 'prometheus/tests/digital-twin-mcp.test.yaml')])).rejects.toThrow(/FAILED/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
