#!/usr/bin/env node
// The `kanri` command. Registers the TypeScript loader, then hands over to src/cli.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
const code = await runCli(process.argv.slice(2));
// Pools and timers are closed by then; exit also when a forced shutdown left something behind.
process.exit(code);
