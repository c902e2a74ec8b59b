/**
 * Each measurement phase runs in a fresh Node process (with --expose-gc), so the memory it reports is
 * its own: PGlite's WASM heaps from one phase or engine never inflate the next one's numbers.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DeploymentSpec } from './deployment.ts';
import type { IdleTenantInput, IdleTenantResult } from './idle-tenant.bench.ts';
import type { ProvisioningResult } from './provisioning.bench.ts';

export type PhaseRequest =
  | { readonly phase: 'provisioning'; readonly deployment: DeploymentSpec; readonly next: number }
  | ({ readonly phase: 'idle-tenant' } & IdleTenantInput);

type PhaseResult<R extends PhaseRequest> = R['phase'] extends 'provisioning' ? ProvisioningResult : IdleTenantResult;

/** The environment variable carrying the request to the child, as JSON. */
export const PHASE_REQUEST_VAR = 'KANRI_BENCH_PHASE';

const RUN_TS = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
const ENTRY = fileURLToPath(new URL('./phase.child.ts', import.meta.url));

const children = new Set<ReturnType<typeof spawn>>();
let interrupted = false;

/** Runs one phase in a child process and answers the result it printed; killed after `timeoutMs`. */
export async function runPhase<R extends PhaseRequest>(request: R, timeoutMs: number): Promise<PhaseResult<R>> {
  const child = spawn(process.execPath, ['--expose-gc', RUN_TS, ENTRY], {
    env: { ...process.env, [PHASE_REQUEST_VAR]: JSON.stringify(request) },
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  children.add(child);
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
  });
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c, s) => resolve([c, s]));
    });
    const last = out.trim().split('\n').at(-1);
    if (code !== 0 || !last) {
      if (interrupted) {
        throw new Error(`${request.phase} phase interrupted`);
      }
      const why = signal === 'SIGKILL' ? `killed after ${timeoutMs / 1000} s` : `exit ${code ?? signal ?? '?'}; its error is above`;
      throw new Error(`${request.phase} phase failed (${why})`);
    }
    return JSON.parse(last) as PhaseResult<R>;
  } finally {
    children.delete(child);
  }
}

/** Kills every phase still running (on Ctrl-C, before the deployments are removed). */
export function killPhases(): void {
  interrupted = true;
  for (const child of children) {
    child.kill('SIGKILL');
  }
}
