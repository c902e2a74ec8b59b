/** Runs `kanri serve` as a real child process and talks HTTP to it (Host header, like a browser). */
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const KANRI = fileURLToPath(new URL('../../bin/kanri.js', import.meta.url));

export interface ServerProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything printed on stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Kills every server a test started and did not stop (call in `finally`/`after`). */
export async function killServers(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts `kanri serve`; resolves once it prints that it runs, or rejects with what it printed. */
export async function startServer(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, [KANRI, 'serve'], {
    // Outside the repository, as an operator may start it: the command must not depend on the
    // working directory (it once compiled JSX for React there, and every page failed).
    cwd: tmpdir(),
    // Logs on: tests read them (migrations, shutdown). Sudo mode off unless the test asks for it, as
    // in startTestApp: the browser flows change settings and accounts, not the password prompt.
    env: { KANRI_SUDO_MODE: '0', ...process.env, ...env, PORT: String(chosen), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  running.add(child);
  void exited.then(() => running.delete(child));
  const proc: ServerProcess = {
    port: chosen,
    child,
    output: () => text,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) {
        child.kill(signal);
      }
      return exited;
    },
  };
  await waitFor(proc, (out) => out.includes('Kanri is running'), 60_000);
  return proc;
}

/** Waits until the output satisfies `ready`; rejects early when the process exits. */
export async function waitFor(proc: ServerProcess, ready: (out: string) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready(proc.output())) {
    if (proc.child.exitCode !== null) {
      throw new Error(`kanri serve exited with ${proc.child.exitCode}:\n${proc.output()}`);
    }
    if (Date.now() > deadline) {
      proc.child.kill('SIGKILL');
      throw new Error(`kanri serve did not get ready:\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function httpRequest(
  port: number,
  host: string,
  path: string,
  /**
   * With `ca`, over HTTPS to a server whose certificate that CA (or self-signed certificate) vouches
   * for, named by `servername` (default: the host).
   */
  options: { method?: string; headers?: Record<string, string>; body?: string; ca?: string | Buffer; servername?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host, ...options.headers } };
    const send = options.ca ? httpsRequest : request;
    const req = send(
      { ...target, ...(options.ca ? { ca: options.ca, servername: options.servername ?? host.replace(/:\d+$/, '') } : {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Signs in through the form over real HTTP; resolves with the session cookie or undefined. */
export async function signInOverHttp(port: number, host: string, login: string, password: string): Promise<string | undefined> {
  const page = await httpRequest(port, host, '/login');
  const csrfCookie = cookieValue(page.headers['set-cookie'], '_kanri_csrf');
  const token = /name="authenticity_token" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const answer = await httpRequest(port, host, '/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `_kanri_csrf=${csrfCookie}` },
    body: new URLSearchParams({ username: login, password, authenticity_token: token, back_url: '/' }).toString(),
  });
  return answer.status === 302 ? cookieValue(answer.headers['set-cookie'], 'kanri_sid') : undefined;
}

function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  for (const line of [header ?? []].flat()) {
    const match = new RegExp(`^${name}=([^;]*)`).exec(line);
    if (match) {
      return match[1];
    }
  }
  return undefined;
}
