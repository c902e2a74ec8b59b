/**
 * A small HTTP load generator: N loops, each sending one request at a time over a keep-alive
 * connection of its own, for a fixed time. Every request's latency (first byte written to last
 * byte read) is kept, so percentiles are exact rather than estimated from buckets.
 */
import { Agent, request } from 'node:http';

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface Answer {
  readonly status: number;
  readonly body: string;
}

export interface LoadOptions {
  readonly port: number;
  readonly connections: number;
  readonly durationMs: number;
  /** The i-th request of the run (i counts from 0 across all loops). */
  readonly next: (i: number) => RequestSpec;
}

export interface LoadResult {
  /** Answers received from requests started within the duration. */
  readonly requests: number;
  /** From the first request sent to the last answer received. */
  readonly elapsedMs: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: {
    readonly mean: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  /** Answers by status code, e.g. { "200": 15000 }. */
  readonly statuses: Record<string, number>;
  /** Answers outside 200–299. */
  readonly non2xx: number;
  /** Requests that got no answer (connection refused or reset). */
  readonly socketErrors: number;
  /** The first non-2xx answer or socket error, shortened, to say what went wrong. */
  readonly firstError: string | undefined;
  /** CPU this process (the load generator) used, as a share of one core. */
  readonly clientCpuPercent: number;
}

/** One request on `agent`; resolves with the status and the whole body. */
export function send(port: number, spec: RequestSpec, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: spec.method,
        path: spec.path,
        headers: spec.body === undefined ? spec.headers : { ...spec.headers, 'content-length': Buffer.byteLength(spec.body) },
        ...(agent ? { agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(spec.body);
  });
}

/** The p-th percentile (0–100) of ascending samples, by nearest rank as in measure.ts. */
function percentile(sorted: Float64Array, p: number): number | undefined {
  if (sorted.length === 0) {
    return undefined;
  }
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

const shorten = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

/** Runs the load for `durationMs`; requests in flight at the end are waited for and counted. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let non2xx = 0;
  let socketErrors = 0;
  let firstError: string | undefined;
  let counter = 0;
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(options.durationMs * 1e6));
  let lastEnd = start;

  const loop = async () => {
    while (process.hrtime.bigint() < deadline) {
      const spec = options.next(counter++);
      const sent = process.hrtime.bigint();
      try {
        const answer = await send(options.port, spec, agent);
        const done = process.hrtime.bigint();
        latencies.push(Number(done - sent) / 1e6);
        if (done > lastEnd) {
          lastEnd = done;
        }
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (answer.status < 200 || answer.status > 299) {
          non2xx++;
          firstError ??= `${spec.method} ${spec.path} → ${answer.status} ${shorten(answer.body)}`;
        }
      } catch (error) {
        socketErrors++;
        firstError ??= `${spec.method} ${spec.path} → ${error instanceof Error ? error.message : String(error)}`;
        // A refused connection fails at once; don't spin on it.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, loop));
  } finally {
    agent.destroy();
  }
  const elapsedMs = Number(lastEnd - start) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = Float64Array.from(latencies).sort();
  const sum = latencies.reduce((a, b) => a + b, 0);
  const at = (p: number) => percentile(sorted, p) ?? NaN;
  return {
    requests: latencies.length,
    elapsedMs,
    requestsPerSecond: elapsedMs > 0 ? (latencies.length / elapsedMs) * 1000 : NaN,
    latencyMs: {
      mean: latencies.length > 0 ? sum / latencies.length : NaN,
      p50: at(50),
      p90: at(90),
      p99: at(99),
      max: sorted.at(-1) ?? NaN,
    },
    statuses,
    non2xx,
    socketErrors,
    firstError,
    clientCpuPercent: elapsedMs > 0 ? ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100 : NaN,
  };
}
