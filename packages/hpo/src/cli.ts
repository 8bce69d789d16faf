#!/usr/bin/env node
// The nn-hpo command (the package's bin): see `nn-hpo --help`.
import './index.js';
import { runCli } from './cli/run.js';

// No top-level await: this file is also built as CommonJS.
runCli(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`nn-hpo: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
