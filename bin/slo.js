#!/usr/bin/env node
// Entry of the `slo` command: loads TypeScript through tsx and hands over to the CLI.
require('tsx/cjs');
require('../slo/cli/main.ts').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
