// What the TLS and credential settings turn into for the Temporal, Kafka and MongoDB clients.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kafkaSecurityOptions, mongoTlsOptions, temporalConnectionOptions } from '../../src';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-tls-'));
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};
const ca = file('ca.crt', 'CA PEM');
const crt = file('client.crt', 'CERT PEM');
const key = file('client.key', 'KEY PEM');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('temporalConnectionOptions', () => {
  it('is a plain address in development', () => {
    expect(temporalConnectionOptions({ TEMPORAL_ADDRESS: 't:7233' })).toEqual({ address: 't:7233' });
  });

  it('reads the CA and the client certificate pair for mTLS', () => {
    const o = temporalConnectionOptions({
      TEMPORAL_ADDRESS: 't:7233',
      TEMPORAL_TLS: true,
      TEMPORAL_TLS_CA_FILE: ca,
      TEMPORAL_TLS_CERT_FILE: crt,
      TEMPORAL_TLS_KEY_FILE: key,
      TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal',
    });
    expect(o.tls?.serverRootCACertificate?.toString()).toBe('CA PEM');
    expect(o.tls?.clientCertPair?.crt.toString()).toBe('CERT PEM');
    expect(o.tls?.clientCertPair?.key.toString()).toBe('KEY PEM');
    expect(o.tls?.serverNameOverride).toBe('frontend.temporal');
    expect(o.apiKey).toBeUndefined();
  });

  it('turns TLS on with an API key', () => {
    expect(temporalConnectionOptions({ TEMPORAL_ADDRESS: 'ns.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k' })).toEqual({
      address: 'ns.tmprl.cloud:7233',
      tls: {},
      apiKey: 'k',
    });
  });

  it('fails at start-up on a certificate file that is not there', () => {
    expect(() =>
      temporalConnectionOptions({ TEMPORAL_ADDRESS: 't:1', TEMPORAL_TLS_CA_FILE: path.join(dir, 'missing.crt') }),
    ).toThrow(/ENOENT/);
  });
});

describe('kafkaSecurityOptions', () => {
  it('is nothing in development, ssl and sasl when set', () => {
    expect(kafkaSecurityOptions({})).toEqual({});
    expect(kafkaSecurityOptions({ KAFKA_TLS: true })).toEqual({ ssl: true });
    const o = kafkaSecurityOptions({
      KAFKA_TLS: true,
      KAFKA_TLS_CA_FILE: ca,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'duban',
      KAFKA_SASL_PASSWORD: 'pw',
    });
    expect(o.ssl).toEqual({ ca: [Buffer.from('CA PEM')] });
    expect(o.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'duban', password: 'pw' });
  });
});

describe('mongoTlsOptions', () => {
  it('is nothing in development, tls (with the CA file) when set', () => {
    expect(mongoTlsOptions({})).toEqual({});
    expect(mongoTlsOptions({ MONGO_TLS: true })).toEqual({ tls: true });
    expect(mongoTlsOptions({ MONGO_TLS_CA_FILE: ca })).toEqual({ tls: true, tlsCAFile: ca });
  });
});
