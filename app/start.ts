// Entry point for `npm start`: validate the environment, open the services on embedded defaults, serve HTTP.

import { ConfigError, loadConfig } from './config';
import { faultInjectionFromEnv } from './fault/faultInjection';
import { createApp } from './server';
import { openServices } from './services';
import { createTelemetry } from './telemetry/wire';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const telemetry = createTelemetry();
  const logger = telemetry.logger;
  const services = await openServices(config, { logger, observer: telemetry.observer });
  // Fault injection exists only for `npm run local` and tests (FAULT_INJECTION=1); the Pulumi program never sets it.
  const faultInjection = faultInjectionFromEnv(process.env, { keys: services.keys, observer: telemetry.observer, logger });
  const built = createApp({ services, ...telemetry.slots(services), faultInjection });
  const { port } = await built.listen(config.port, config.host);
  logger.info('Digital Twin MCP server listening', { url: `http://${config.host}:${port}/mcp` });
  if (!config.adminApiKey) logger.warn('ADMIN_API_KEY is not set: create keys with `node -r tsx/cjs app/cli.ts keys create --scope admin`');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('Shutting down', { signal });
    built.close().then(() => telemetry.shutdown()).then(
      () => process.exit(0),
      (err: Error) => {
        logger.error('Shutdown failed', { error: err.message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: Error) => {
  process.stderr.write(`digital-twin-mcp failed to start: ${err.message}\n`);
  process.exit(1);
});
