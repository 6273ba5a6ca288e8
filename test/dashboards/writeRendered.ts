// Writes test/dashboards/rendered/*.ts: the rendered dashboards as `as const` literals tsc checks against @grafana/schema.
// Run: node -r tsx/cjs test/dashboards/writeRendered.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderedModules } from './renderedModules';

const dir = path.join(__dirname, 'rendered');
mkdirSync(dir, { recursive: true });
for (const { file, content } of renderedModules()) writeFileSync(path.join(dir, file), content);
console.log(`wrote ${renderedModules().length} files to ${path.relative(process.cwd(), dir)}`);
