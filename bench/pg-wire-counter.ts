/**
 * A TCP proxy in front of PostgreSQL that counts the statements clients send, per database, by
 * reading the frontend side of the wire protocol as it passes: each simple Query ('Q') and each
 * Sync ('S', which ends an extended-protocol Parse/Bind/Execute pipeline as node-postgres sends it)
 * is one round trip to the server. Nothing in the application changes; only its DATABASE_URL points
 * here. Used for a handful of sequential requests, never for the timed runs (it adds a hop).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface DatabaseTraffic {
  /** Round trips: simple queries plus extended-protocol syncs. */
  roundTrips: number;
  /** Connections opened to this database. */
  connections: number;
}

export interface WireCounter {
  readonly port: number;
  /** Traffic per database name since the last reset. */
  traffic(): ReadonlyMap<string, DatabaseTraffic>;
  reset(): void;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const QUERY = 0x51; // 'Q'
const SYNC = 0x53; // 'S'

/** Reads the frontend messages of one connection, however the bytes are split into chunks. */
class FrontendReader {
  #buffer: Buffer = Buffer.alloc(0);
  #startup = true;
  database = '?';
  readonly #onStartup: (database: string) => void;
  readonly #onRoundTrip: () => void;

  constructor(onStartup: (database: string) => void, onRoundTrip: () => void) {
    this.#onStartup = onStartup;
    this.#onRoundTrip = onRoundTrip;
  }

  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      if (this.#startup) {
        // Startup-phase messages have no type byte: length, then a protocol code.
        if (this.#buffer.length < 8) {
          return;
        }
        const length = this.#buffer.readInt32BE(0);
        if (this.#buffer.length < length) {
          return;
        }
        const code = this.#buffer.readInt32BE(4);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) {
          this.database = startupDatabase(this.#buffer.subarray(8, length));
          this.#startup = false;
          this.#onStartup(this.database);
        }
        this.#buffer = this.#buffer.subarray(length);
        continue;
      }
      if (this.#buffer.length < 5) {
        return;
      }
      const total = 1 + this.#buffer.readInt32BE(1);
      if (this.#buffer.length < total) {
        return;
      }
      const type = this.#buffer[0];
      if (type === QUERY || type === SYNC) {
        this.#onRoundTrip();
      }
      this.#buffer = this.#buffer.subarray(total);
    }
  }
}

/** The `database` parameter of a StartupMessage body (NUL-separated name/value pairs). */
function startupDatabase(body: Buffer): string {
  const parts = body.toString('utf8').split('\0');
  let user = '?';
  for (let i = 0; i + 1 < parts.length; i += 2) {
    if (parts[i] === 'database') {
      return parts[i + 1] ?? '?';
    }
    if (parts[i] === 'user') {
      user = parts[i + 1] ?? '?';
    }
  }
  return user; // PostgreSQL's default: the database named like the user.
}

/** Listens on 127.0.0.1 (a free port) and forwards every connection to `upstream`. */
export async function startWireCounter(upstream: { host: string; port: number }): Promise<WireCounter> {
  let traffic = new Map<string, DatabaseTraffic>();
  const of = (database: string) => {
    let entry = traffic.get(database);
    if (!entry) {
      entry = { roundTrips: 0, connections: 0 };
      traffic.set(database, entry);
    }
    return entry;
  };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const backend = createConnection(upstream);
    sockets.add(client).add(backend);
    const reader = new FrontendReader(
      (database) => void of(database).connections++,
      () => void of(reader.database).roundTrips++,
    );
    client.on('data', (chunk: Buffer) => reader.push(chunk));
    client.pipe(backend);
    backend.pipe(client);
    const end = () => {
      client.destroy();
      backend.destroy();
      sockets.delete(client);
      sockets.delete(backend);
    };
    client.on('error', end).on('close', end);
    backend.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) {
    throw new Error('wire counter: no port');
  }
  return {
    port: address.port,
    traffic: () => traffic,
    reset() {
      traffic = new Map();
    },
    async close() {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
