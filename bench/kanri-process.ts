/**
 * The real `kanri` command as a child process: `tenant create` to provision, and `serve` for the load
 * tests, so the server has an event loop and a CPU of its own, apart from the load generator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { processCpuSeconds } from './backend-cpu.ts';

const KANRI = fileURLToPath(new URL('../bin/kanri.js', import.meta.url));

/**
 * Kanri's configuration variables that the bench sets itself: the caller's own values (a developer's
 * DATABASE_URL, say) must not leak into the deployment being measured. KANRI_TENANT_POOL_MAX is
 * deliberately not listed, so a run can try another pool size.
 */
const OWN_VARIABLES = [
  'HOST',
  'PORT',
  'BASE_DOMAIN',
  'DATABASE_URL',
  'TENANT_DATABASE_SERVERS',
  'KANRI_DATA_DIR',
  'DEFAULT_TENANT',
  'KANRI_SECRET',
  'TRUSTED_PROXIES',
  'LOG_LEVEL',
  'KANRI_DATABASE_PREFIX',
  'KANRI_MAX_OPEN_PGLITE',
  'KANRI_CONFIG',
];

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  for (const name of OWN_VARIABLES) {
    delete inherited[name];
  }
  return { ...inherited, ...env };
}

const running = new Set<ChildProcess>();

/** Kills every kanri process still running (on Ctrl-C). */
export function killKanriProcesses(): void {
  for (const child of running) {
    child.kill('SIGKILL');
  }
}

export interface CommandResult {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs `kanri ARGS` in `cwd` (so no kanri.config.json of the repository is read) with `stdin`. */
export async function runKanri(env: Record<string, string>, cwd: string, args: string[], stdin = ''): Promise<CommandResult> {
  const child = spawn(process.execPath, [KANRI, ...args], { cwd, env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdin.end(stdin);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c) => resolve(c));
    });
    return { code, out, err };
  } finally {
    running.delete(child);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export interface KanriServer {
  readonly port: number;
  readonly pid: number;
  /** Where its stdout and stderr (the request log) go. */
  readonly logPath: string;
  /** CPU seconds (user + system) the server process has used so far; undefined where /proc is unreadable. */
  cpuSeconds(): Promise<number | undefined>;
  /** SIGTERM, then SIGKILL if it has not stopped within 30 s. */
  stop(): Promise<void>;
}

const READY = 'Kanri is running';
const START_TIMEOUT_MS = 120_000;

/**
 * Starts `kanri serve` on 127.0.0.1:`port`; resolves once it says it runs. Its output goes to a file
 * rather than a pipe, so reading the request log costs the load generator nothing.
 */
export async function startKanriServer(env: Record<string, string>, cwd: string, logPath: string): Promise<KanriServer> {
  const port = await freePort();
  const log = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [KANRI, 'serve'], {
      cwd,
      env: childEnv({ ...env, HOST: '127.0.0.1', PORT: String(port) }),
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => running.delete(child));
  const tail = async () => (await readFile(logPath, 'utf8').catch(() => '')).slice(-3000);

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await readFile(logPath, 'utf8').catch(() => '')).includes(READY)) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`kanri serve exited (${child.exitCode ?? child.signalCode}):\n${await tail()}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`kanri serve not ready after ${START_TIMEOUT_MS / 1000} s:\n${await tail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pid = child.pid ?? -1;
  return {
    port,
    pid,
    logPath,
    cpuSeconds: () => processCpuSeconds(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
