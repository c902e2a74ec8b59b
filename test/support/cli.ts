/** Runs `kanri` commands in-process with a given environment and captures what they print. */
import { runCli } from '#src/cli/main.ts';
import type { CliIo } from '#src/cli/output.ts';

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function kanri(env: Record<string, string>, args: string[], stdin = ''): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => void out.push(line),
    err: (line) => void err.push(line),
    readStdin: async () => stdin,
    env,
  };
  const code = await runCli(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The one-time password printed by `tenant create`. */
export function oneTimePasswordOf(result: CliResult): string {
  const match = /One-time password:\s+(\S+)/.exec(result.out);
  if (!match?.[1]) {
    throw new Error(`no one-time password in: ${result.out} ${result.err}`);
  }
  return match[1];
}
