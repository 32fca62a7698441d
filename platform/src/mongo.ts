// A mongoose connection to the service's own database. Only features that both MongoDB and
// FerretDB 1.x support are used: no transactions, change streams, $lookup, TTL or partial indexes.
import mongoose, { type Connection, type Model } from 'mongoose';
import type { MongoSecurityConfig } from './config';

/** mongoose's TLS options from MONGO_TLS and MONGO_TLS_CA_FILE; a URL with tls=true (or mongodb+srv) turns TLS on by itself. */
export function mongoTlsOptions(security: Partial<MongoSecurityConfig>): { tls?: true; tlsCAFile?: string } {
  if (security.MONGO_TLS_CA_FILE) return { tls: true, tlsCAFile: security.MONGO_TLS_CA_FILE };
  return security.MONGO_TLS ? { tls: true } : {};
}

export async function connectMongo(
  url: string,
  dbName: string,
  security: Partial<MongoSecurityConfig> = {},
): Promise<Connection> {
  const conn = mongoose.createConnection(url, {
    dbName,
    ...mongoTlsOptions(security),
    serverSelectionTimeoutMS: 10000,
    autoIndex: true,
    autoCreate: true,
  });
  await conn.asPromise();
  return conn;
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

/** Connects to the service's database, builds its models and creates their indexes. */
export async function connectModels<M extends Record<string, Model<any>>>(
  url: string,
  dbName: string,
  build: (conn: Connection) => M,
  security: Partial<MongoSecurityConfig> = {},
): Promise<{ conn: Connection; models: M }> {
  const conn = await connectMongo(url, dbName, security);
  const models = build(conn);
  await Promise.all(Object.values(models).map((m) => m.init()));
  return { conn, models };
}
