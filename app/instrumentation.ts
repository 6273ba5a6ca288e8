// Preload entry: starts OpenTelemetry before the app loads express or http, so their auto-instrumentation applies.
// Usage: node -r tsx/cjs -r ./app/instrumentation.ts app/main.ts
import { startTracing, tracingOptionsFromEnv } from './telemetry/tracing';

const tracing = startTracing(tracingOptionsFromEnv());

// Spans still buffered are exported before the process ends; main.ts's own SIGTERM handler exits after closing the app.
process.once('beforeExit', () => {
  void tracing.shutdown();
});
