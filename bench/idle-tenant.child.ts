/**
 * Child-process entry of the idle-tenant measurement (see idle-tenant.bench.ts): reads its input from
 * KANRI_BENCH_CHILD, measures, and writes the result as one JSON line on stdout.
 */
import { measureIdleTenant, type IdleTenantInput } from './idle-tenant.bench.ts';

const raw = process.env.KANRI_BENCH_CHILD;
if (!raw) {
  process.stderr.write('idle-tenant.child.ts is started by bench/index.ts (KANRI_BENCH_CHILD is missing)\n');
  process.exit(2);
}
try {
  const result = await measureIdleTenant(JSON.parse(raw) as IdleTenantInput);
  process.stdout.write(JSON.stringify(result) + '\n');
} catch (error) {
  process.stderr.write(`idle-tenant measurement: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
