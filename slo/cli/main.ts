// The `slo` command: dispatches subcommands and turns every failure into one clear message and an exit code.
import { CliError, type Command } from './command';
import { diffCommand } from './diff';
import { exportCommand } from './export';
import { importCommand } from './import';
import { localCommand } from './local';
import { renderCommand } from './render';
import { schemaCommand } from './schema';
import { statusCommand } from './status';
import { validateCommand } from './validate';

const COMMANDS: Record<string, Command> = {
  validate: validateCommand,
  render: renderCommand,
  schema: schemaCommand,
  diff: diffCommand,
  import: importCommand,
  export: exportCommand,
  status: statusCommand,
  local: localCommand,
};

const USAGE = `usage: slo <command> [options]

commands:
  validate [FILE...]            check specs (default: every slo/*.yaml); exit 1 on problems
  render [FILE...] --out DIR [--stack staging|production]
                                write Prometheus rules and tests, Alertmanager config, dashboards;
                                with --stack, exactly as that Pulumi stack ships them
  schema                        print the spec's JSON Schema
  diff --base REF|FILE [FILE...] [--format text|markdown|json]
                                what the working tree's specs change against a git ref or file;
                                exit 0 unchanged, 1 changed, 2 error
  import --from sloth|openslo FILE [--out FILE]
                                a Sloth or OpenSLO spec as ours; prints what was not carried over
  export --to openslo [FILE...] [--out FILE]
                                our specs as OpenSLO v1 SLO documents
  status [FILE...] [--prometheus URL] [--json]
                                each SLO's SLI, error budget left, burn rates and firing alerts
  local start [options]         the app, Prometheus, Alertmanager, sinks and traffic on this machine
                                (same as \`npm run local\`; --help for options)
  local inject [--errors 0.5] [--latency 2s]
                                switch the running local stack's fault injection
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`slo: unknown command \`${name}\`\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, { out: process.stdout, err: process.stderr });
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`slo ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`slo ${name}: internal error: ${(e as Error).message}\n`);
    return 3;
  }
}
