// The whole loop on one machine: sinks, the app (fault injection on), Alertmanager, Prometheus and the traffic
// generator, started in order, supervised (each restarted once if it dies, then everything stops), and stopped together.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadAll } from '../../slo/cli/render';
import { layoutOf, newSecrets, writeLocalConfig, type LocalLayout, type LocalPorts } from './localConfig';
import type { LocalState, LocalUrls } from './localState';
import { acquireLock, LocalStackError, requireBinaries, requireFreePorts } from './preflight';
import { DeliveryLog } from './sinks/deliveries';
import { startHttpSinks, type HttpSinks } from './sinks/httpSinks';
import { startSmtpSink, type SmtpSink } from './sinks/smtpServer';
import { describeExit, SupervisedProcess } from './supervisedProcess';
import { TrafficGenerator } from './traffic';

export interface LocalStackOptions {
  dataDir: string;
  ports: LocalPorts;
  specFiles: string[];
  /** MCP calls per second from the traffic generator; 0 for none. */
  trafficRate: number;
  /** Where Prometheus and Alertmanager are looked up (default: this process's PATH). */
  path?: string;
  /** Progress lines for people. */
  report: (line: string) => void;
  /** Repository root: the app is started from here. */
  repoRoot?: string;
  /** Ctrl-C during start-up: whatever was started is stopped and startLocalStack rejects. */
  abort?: AbortSignal;
}

export interface LocalStack {
  layout: LocalLayout;
  urls: LocalUrls;
  deliveries: DeliveryLog;
  traffic?: TrafficGenerator;
  pids(): Record<string, number | undefined>;
  /** Stops everything this stack started; safe to call more than once. */
  stop(): Promise<void>;
  /** Resolves with an exit code once the stack has stopped: 0 when asked to, 1 when a component died twice. */
  stopped: Promise<number>;
}

const APP_READY_MS = 120_000;
const TOOL_READY_MS = 30_000;

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { ports, report } = options;
  const repoRoot = resolve(options.repoRoot ?? process.cwd());
  const layout = layoutOf(options.dataDir);
  mkdirSync(layout.logsDir, { recursive: true });
  const releaseLock = acquireLock(layout.lockFile);
  const cleanups: Array<() => Promise<void> | void> = [releaseLock];
  const processes: SupervisedProcess[] = [];
  let traffic: TrafficGenerator | undefined;
  let stopping: Promise<void> | undefined;
  let resolveStopped: (code: number) => void = () => undefined;
  const stopped = new Promise<number>((r) => { resolveStopped = r; });
  let exitCode = 0;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await traffic?.stop();
      // Reverse order: Prometheus stops scraping before the app goes away.
      for (const p of [...processes].reverse()) {
        if (p.running) report(`stopping ${p.spec.name} (pid ${p.pid})`);
        await p.stop();
      }
      for (const cleanup of [...cleanups].reverse()) await cleanup();
      rmSync(layout.stateFile, { force: true });
      resolveStopped(exitCode);
    })();
    return stopping;
  };

  const checkAbort = () => {
    if (options.abort?.aborted) throw new LocalStackError('interrupted during start-up; everything started has been stopped');
  };
  try {
    const binaries = requireBinaries(options.path ?? process.env.PATH ?? '');
    const specs = loadAll(options.specFiles);
    await requireFreePorts([
      { port: ports.app, owner: 'the app (--app-port)' },
      { port: ports.prometheus, owner: 'Prometheus (--prometheus-port)' },
      { port: ports.alertmanager, owner: 'Alertmanager (--alertmanager-port)' },
      { port: ports.sinks, owner: 'the PagerDuty/Slack sinks (--sinks-port)' },
      { port: ports.smtp, owner: 'the SMTP sink (--smtp-port)' },
    ]);

    const secrets = newSecrets();
    const deliveries = new DeliveryLog(layout.sinksLog);
    const http: HttpSinks = await startHttpSinks(ports.sinks, { pagerdutyRoutingKey: secrets.pagerdutyRoutingKey, slackToken: secrets.slackToken }, deliveries);
    cleanups.push(() => http.close());
    const smtp: SmtpSink = await startSmtpSink(ports.smtp, deliveries);
    cleanups.push(() => smtp.close());
    report(`sinks         ready: PagerDuty and Slack on 127.0.0.1:${http.port}, SMTP on ${smtp.smarthost}`);

    writeLocalConfig(layout, specs, ports, { pagerdutyUrl: http.pagerdutyUrl, slackWebhookUrl: http.slackWebhookUrl, smtpSmarthost: smtp.smarthost }, secrets);
    report(`rendered      ${options.specFiles.join(', ')} -> ${layout.renderedDir}`);

    const appEnv: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(ports.app),
      HOST: '127.0.0.1',
      PGLITE_DATA_DIR: layout.pgliteDir,
      ADMIN_API_KEY: secrets.adminApiKey,
      ALERT_WEBHOOK_TOKEN: secrets.alertWebhookToken,
      FAULT_INJECTION: '1',
      // The app reads one spec for its histogram buckets: the first one given.
      SLO_SPEC_FILE: options.specFiles[0],
      LOG_DIR: layout.logsDir,
      LOG_FORMAT: 'json',
      NODE_ENV: 'development',
    };
    // Embedded defaults: a DATABASE_URL or REDIS_URL from the shell would point the local app elsewhere.
    delete appEnv.DATABASE_URL;
    delete appEnv.REDIS_URL;
    // No Jaeger runs locally: without an OTLP endpoint the exporter would retry into nothing and slow every stop.
    if (!appEnv.OTEL_EXPORTER_OTLP_ENDPOINT && !appEnv.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) appEnv.OTEL_TRACES_EXPORTER ??= 'none';
    const started: Array<[SupervisedProcess, number]> = [
      [new SupervisedProcess({
        name: 'app', command: process.execPath, args: ['-r', 'tsx/cjs', join(repoRoot, 'app/main.ts')], cwd: repoRoot, env: appEnv,
        logFile: join(layout.logsDir, 'app.out.log'), readyUrl: `http://127.0.0.1:${ports.app}/health/liveness`,
      }), APP_READY_MS],
      [new SupervisedProcess({
        name: 'Alertmanager', command: binaries.alertmanager,
        args: [`--config.file=${layout.alertmanagerConfig}`, `--storage.path=${layout.alertmanagerData}`,
          `--web.listen-address=127.0.0.1:${ports.alertmanager}`, '--cluster.listen-address='],
        logFile: join(layout.logsDir, 'alertmanager.log'), readyUrl: `http://127.0.0.1:${ports.alertmanager}/-/ready`,
      }), TOOL_READY_MS],
      [new SupervisedProcess({
        name: 'Prometheus', command: binaries.prometheus,
        args: [`--config.file=${layout.prometheusConfig}`, `--storage.tsdb.path=${layout.prometheusData}`,
          `--web.listen-address=127.0.0.1:${ports.prometheus}`, `--web.external-url=http://127.0.0.1:${ports.prometheus}/`],
        logFile: join(layout.logsDir, 'prometheus.log'), readyUrl: `http://127.0.0.1:${ports.prometheus}/-/ready`,
      }), TOOL_READY_MS],
    ];
    const pids = () => Object.fromEntries([['runner', process.pid], ...processes.map((p) => [p.spec.name, p.pid])]) as Record<string, number | undefined>;
    const urls: LocalUrls = {
      app: `http://127.0.0.1:${ports.app}`,
      mcp: `http://127.0.0.1:${ports.app}/mcp`,
      prometheus: `http://127.0.0.1:${ports.prometheus}`,
      alerts: `http://127.0.0.1:${ports.prometheus}/alerts`,
      alertmanager: `http://127.0.0.1:${ports.alertmanager}`,
      pagerduty: http.pagerdutyUrl,
      smtp: smtp.smarthost,
    };
    const writeState = () => {
      const state: LocalState = { pid: process.pid, urls, pids: pids(), sinksLog: layout.sinksLog, logsDir: layout.logsDir };
      writeFileSync(layout.stateFile, `${JSON.stringify(state, null, 2)}\n`);
    };

    for (const [proc, readyMs] of started) {
      report(`${proc.spec.name.padEnd(13)} starting (log ${proc.spec.logFile})`);
      checkAbort();
      processes.push(proc);
      proc.start();
      await proc.waitReady(readyMs, options.abort).catch((err: Error) => {
        checkAbort();
        throw err;
      });
      report(`${proc.spec.name.padEnd(13)} ready (pid ${proc.pid})`);
      // Restart once: a crash is reported and survived; a second one means something is wrong, so everything stops.
      let restarted = false;
      proc.onUnexpectedExit = (info) => {
        if (stopping) return;
        if (restarted) {
          report(`${proc.spec.name} exited again (${describeExit(info)}); see ${proc.spec.logFile}. Stopping the local stack.`);
          exitCode = 1;
          void stop();
          return;
        }
        restarted = true;
        report(`${proc.spec.name} exited unexpectedly (${describeExit(info)}); see ${proc.spec.logFile}. Restarting it once.`);
        proc.start();
        writeState();
        proc.waitReady(readyMs).then(
          () => report(`${proc.spec.name.padEnd(13)} ready again (pid ${proc.pid})`),
          (err: Error) => report(err.message),
        );
      };
    }

    checkAbort();
    if (options.trafficRate > 0) {
      traffic = new TrafficGenerator({ url: urls.mcp, apiKey: secrets.adminApiKey, ratePerSecond: options.trafficRate });
      traffic.start();
      report(`traffic       ${options.trafficRate} MCP calls/s over every tool`);
    }
    writeState();
    return { layout, urls, deliveries, traffic, pids, stop, stopped };
  } catch (err) {
    await stop();
    if (err instanceof LocalStackError) throw err;
    // A CliError from the spec loader, or a start-up failure: one message, no stack trace.
    throw new LocalStackError((err as Error).message);
  }
}
