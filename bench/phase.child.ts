/**
 * Entry of a measurement phase in its own process (see child-process.ts): reads the request from
 * KANRI_BENCH_PHASE, measures, and writes the result as one JSON line on stdout.
 */
import { PHASE_REQUEST_VAR, type PhaseRequest } from './child-process.ts';
import { measureIdleTenant } from './idle-tenant.bench.ts';
import { measureProvisioning } from './provisioning.bench.ts';

const raw = process.env[PHASE_REQUEST_VAR];
if (!raw) {
  process.stderr.write(`phase.child.ts is started by bench/index.ts (${PHASE_REQUEST_VAR} is missing)\n`);
  process.exit(2);
}
try {
  const request = JSON.parse(raw) as PhaseRequest;
  const result =
    request.phase === 'provisioning'
      ? await measureProvisioning(request.deployment, request.next)
      : await measureIdleTenant(request);
  process.stdout.write(JSON.stringify(result) + '\n');
} catch (error) {
  process.stderr.write(`bench phase: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
