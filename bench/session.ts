/**
 * What one `npm run bench` has made and must remove, whichever suite made it, so Ctrl-C (or a
 * SIGTERM) leaves no databases, folders or processes behind.
 */
import { killPhases } from './child-process.ts';
import type { BenchDeployment } from './deployment.ts';
import { killKanriProcesses } from './kanri-process.ts';

const live = new Set<BenchDeployment>();
let interrupted = false;

export function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function wasInterrupted(): boolean {
  return interrupted;
}

/** Keeps `deployment` for removal on interruption until the returned function is called. */
export function track(deployment: BenchDeployment): () => void {
  live.add(deployment);
  return () => void live.delete(deployment);
}

/** Removes every deployment still tracked. */
export async function cleanupAll(): Promise<void> {
  await Promise.all([...live].map((d) => d.cleanup().catch(() => {})));
}

/** On SIGINT/SIGTERM: kill the children, remove what was made, exit 130. */
export function removeAllOnSignal(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: removing the benchmark's databases and folders`);
      interrupted = true;
      killPhases();
      killKanriProcesses();
      void cleanupAll().finally(() => process.exit(130));
    });
  }
}
