#!/usr/bin/env node
// The `kanri` command. Registers the TypeScript loader, then hands over to src/cli.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The repository's tsconfig, wherever the command runs from: it says how JSX compiles (Preact).
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { runCli } = await import('../src/cli/main.ts');
const code = await runCli(process.argv.slice(2));
// Pools and timers are closed by then; exit also when a forced shutdown left something behind.
process.exit(code);
