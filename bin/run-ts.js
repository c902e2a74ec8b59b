#!/usr/bin/env node
// Runs a TypeScript entry point (benchmarks, scripts) with the project's loader.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { resolve } from 'node:path';

// The repository's tsconfig, wherever the command runs from: it says how JSX compiles (Preact).
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: run-ts.js FILE.ts [args…]\n');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(entry), ...rest];
await import(pathToFileURL(resolve(entry)).href);
