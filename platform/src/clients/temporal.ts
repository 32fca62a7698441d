// Every Temporal connection (the services' clients, the worker's NativeConnection, tests and
// benchmarks) takes its options from here, so TLS, mTLS and the API key are set in one place.
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import type { TemporalSecurityConfig } from '../config';

export type TemporalConnectionConfig = { TEMPORAL_ADDRESS: string } & Partial<TemporalSecurityConfig>;

interface TlsOptions {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

/** Options for Connection.connect and NativeConnection.connect (same shape for both). */
export function temporalConnectionOptions(cfg: TemporalConnectionConfig): {
  address: string;
  tls?: TlsOptions;
  apiKey?: string;
} {
  const mtls = cfg.TEMPORAL_TLS_CERT_FILE && cfg.TEMPORAL_TLS_KEY_FILE;
  const tls =
    cfg.TEMPORAL_TLS || cfg.TEMPORAL_API_KEY || mtls || cfg.TEMPORAL_TLS_CA_FILE
      ? {
          ...(cfg.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: cfg.TEMPORAL_TLS_SERVER_NAME } : {}),
          ...(cfg.TEMPORAL_TLS_CA_FILE ? { serverRootCACertificate: fs.readFileSync(cfg.TEMPORAL_TLS_CA_FILE) } : {}),
          ...(mtls
            ? {
                clientCertPair: {
                  crt: fs.readFileSync(cfg.TEMPORAL_TLS_CERT_FILE!),
                  key: fs.readFileSync(cfg.TEMPORAL_TLS_KEY_FILE!),
                },
              }
            : {}),
        }
      : undefined;
  return {
    address: cfg.TEMPORAL_ADDRESS,
    ...(tls ? { tls } : {}),
    ...(cfg.TEMPORAL_API_KEY ? { apiKey: cfg.TEMPORAL_API_KEY } : {}),
  };
}

/** A Temporal client on its own connection, and the health check /healthz runs on it. */
export async function connectTemporal(cfg: TemporalConnectionConfig & { TEMPORAL_NAMESPACE: string }) {
  const connection = await Connection.connect(temporalConnectionOptions(cfg));
  return {
    connection,
    client: new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE }),
    healthy: async () => (await connection.healthService.check({})).status === 1,
  };
}
