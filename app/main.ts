// Entry point for `npm start`: tracing starts first, so the HTTP and express instrumentations patch the modules
// before anything loads them; then app/start.ts runs the server.

import { startTracing, tracingOptionsFromEnv } from './telemetry/tracing';

startTracing(tracingOptionsFromEnv());
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./start');
