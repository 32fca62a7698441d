// A mongoose connection to the service's own database. Only features that both MongoDB and
// FerretDB 1.x support are used: no transactions, change streams, $lookup, TTL or partial indexes.
import mongoose, { type Connection, type Model } from 'mongoose';
import type { MongoSecurityConfig } from './config';
import type { Logger } from './logger';

/** mongoose's TLS options from MONGO_TLS and MONGO_TLS_CA_FILE; a URL with tls=true (or mongodb+srv) turns TLS on by itself. */
export function mongoTlsOptions(security: Partial<MongoSecurityConfig>): { tls?: true; tlsCAFile?: string } {
  if (security.MONGO_TLS_CA_FILE) return { tls: true, tlsCAFile: security.MONGO_TLS_CA_FILE };
  return security.MONGO_TLS ? { tls: true } : {};
}

export async function connectMongo(
  url: string,
  dbName: string,
  security: Partial<MongoSecurityConfig> = {},
  logger?: Logger,
): Promise<Connection> {
  const options = {
    dbName,
    ...mongoTlsOptions(security),
    serverSelectionTimeoutMS: 10000,
    autoIndex: true,
    autoCreate: true,
  };
  const conn = mongoose.createConnection(url, options);
  await conn.asPromise();
  if (logger) watchConnection(conn, () => conn.openUri(url, options), logger);
  return conn;
}

/** How often the watchdog pings, and how long pings may fail before it rebuilds the connection. */
export const MONGO_WATCH = { everyMs: 5000, pingTimeoutMs: 3000, stuckAfterMs: 30000 };

/**
 * Rebuilds a connection whose pings kept failing for `stuckAfterMs`. After a link to the
 * database was slowed and then cut (make chaos, fault 6), the driver once stopped monitoring the
 * server altogether: no socket to it, every operation failing server selection with the same
 * stale error for minutes, while a new client connected at once. The models stay bound to the
 * connection, so closing it and opening it again is enough. A database that is really down is
 * tried again every `stuckAfterMs`. Stops when the service closes the connection.
 */
export function watchConnection(conn: Connection, reopen: () => Promise<unknown>, logger: Logger): void {
  let failingSince: number | undefined;
  let busy = false;
  let rebuilding = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void check().finally(() => (busy = false));
  }, MONGO_WATCH.everyMs);
  timer.unref();
  conn.on('close', () => {
    if (!rebuilding) clearInterval(timer);
  });

  async function check(): Promise<void> {
    try {
      if (!conn.db) throw new Error('not connected');
      await withTimeout(conn.db.admin().ping(), MONGO_WATCH.pingTimeoutMs);
      if (failingSince !== undefined) logger.info('MongoDB answers again');
      failingSince = undefined;
    } catch (err) {
      failingSince ??= Date.now();
      const ms = Date.now() - failingSince;
      if (ms < MONGO_WATCH.stuckAfterMs) return;
      logger.error(
        { err: (err as Error).message, failingForMs: ms },
        `MongoDB has not answered this connection for ${Math.round(ms / 1000)} s: closing it and connecting again`,
      );
      rebuilding = true;
      try {
        await withTimeout(conn.close(), 10_000).catch(() => {});
        await reopen();
        logger.warn('MongoDB connection rebuilt');
        failingSince = undefined;
      } catch (e) {
        failingSince = Date.now();
        logger.error({ err: (e as Error).message }, 'MongoDB still unreachable: will try again');
      } finally {
        rebuilding = false;
      }
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function mongoHealthy(conn: Connection): Promise<boolean> {
  if (conn.readyState !== 1 || !conn.db) return false;
  await conn.db.admin().ping();
  return true;
}

/** True for a duplicate-key error (E11000). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/** Connects to the service's database (watched, with a logger: watchConnection), builds its models and creates their indexes. */
export async function connectModels<M extends Record<string, Model<any>>>(
  url: string,
  dbName: string,
  build: (conn: Connection) => M,
  security: Partial<MongoSecurityConfig> = {},
  logger?: Logger,
): Promise<{ conn: Connection; models: M }> {
  const conn = await connectMongo(url, dbName, security, logger);
  const models = build(conn);
  await Promise.all(Object.values(models).map((m) => m.init()));
  return { conn, models };
}
