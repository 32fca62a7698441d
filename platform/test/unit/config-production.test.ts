// The production rules of loadConfig (DUBAN_ENV=production), each refusal naming its variable,
// and the token keys: rotation by kid and the audience per service.
import { z } from 'zod';
import {
  ConfigError,
  DEMO_SECRETS,
  AuthError,
  common,
  jwtAuth,
  loadConfig,
  signToken,
  verifyToken,
  writesPerMinute,
} from '../../src';

const schema = z.object({
  ...common.deployment,
  MONGO_URL: common.MONGO_URL,
  ...common.mongoSecurity,
  KAFKA_BROKERS: common.KAFKA_BROKERS,
  ...common.kafkaSecurity,
  TEMPORAL_ADDRESS: common.TEMPORAL_ADDRESS,
  ...common.temporalSecurity,
  ...common.auth,
  HTTP_PORT: common.http.HTTP_PORT,
  ...common.httpSecurity,
});

const KEY_A = 'a'.repeat(40);
const KEY_B = 'b'.repeat(40);
const production = {
  DUBAN_ENV: 'production',
  MONGO_URL: 'mongodb://u:p@mongo:27017',
  MONGO_TLS: 'true',
  KAFKA_BROKERS: 'kafka:9093',
  KAFKA_TLS: 'true',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'duban',
  KAFKA_SASL_PASSWORD: 'kafka-password',
  TEMPORAL_ADDRESS: 'temporal:7233',
  TEMPORAL_TLS: 'true',
  TEMPORAL_API_KEY: 'temporal-api-key',
  AUTH_JWT_KEYS: `k2:${KEY_B},k1:${KEY_A}`,
  AUTH_JWT_AUDIENCE: 'duban-registry',
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(schema, env);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems;
  }
}

describe('a production start', () => {
  it('accepts TLS and credentials everywhere, rotated keys and an audience; rate limit defaults to 120', () => {
    const cfg = loadConfig(schema, production);
    expect(cfg.AUTH_JWT_KEYS?.map((k) => k.kid)).toEqual(['k2', 'k1']);
    expect(writesPerMinute(cfg)).toBe(120);
    expect(writesPerMinute({})).toBe(0);
  });

  it.each([
    ['a demo secret', { AUTH_JWT_KEYS: `k1:${DEMO_SECRETS[0]}` }, /AUTH_JWT_KEYS: key "k1" is a demo secret/],
    [
      'a key shorter than 32 bytes',
      { AUTH_JWT_KEYS: `k1:${'x'.repeat(31)}` },
      /AUTH_JWT_KEYS: key "k1" is shorter than 32 bytes/,
    ],
    [
      'AUTH_JWT_SECRET instead of keys with a kid',
      { AUTH_JWT_KEYS: undefined, AUTH_JWT_SECRET: KEY_A },
      /AUTH_JWT_SECRET: not used in production/,
    ],
    [
      'the test secret as AUTH_JWT_SECRET',
      { AUTH_JWT_KEYS: undefined, AUTH_JWT_SECRET: DEMO_SECRETS[0] },
      /AUTH_JWT_SECRET: is a demo secret/,
    ],
    ['no audience', { AUTH_JWT_AUDIENCE: undefined }, /AUTH_JWT_AUDIENCE: is required in production/],
    [
      'no write limit',
      { RATE_LIMIT_WRITES_PER_MINUTE: '0' },
      /RATE_LIMIT_WRITES_PER_MINUTE: 0 \(no limit\) is refused/,
    ],
    [
      'plaintext Temporal',
      { TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: undefined },
      /TEMPORAL_TLS: Temporal must use TLS/,
    ],
    ['Temporal without credentials', { TEMPORAL_API_KEY: undefined }, /TEMPORAL_API_KEY: Temporal needs credentials/],
    ['plaintext Kafka', { KAFKA_TLS: undefined }, /KAFKA_TLS: Kafka must use TLS/],
    ['Kafka without SASL', { KAFKA_SASL_MECHANISM: undefined }, /KAFKA_SASL_MECHANISM: Kafka needs SASL/],
    ['plaintext MongoDB', { MONGO_TLS: 'false' }, /MONGO_TLS: MongoDB must use TLS/],
  ])('refuses %s, naming the setting', (_what, change, message) => {
    const found = problems({ ...production, ...change });
    expect(found).toContainEqual(expect.stringMatching(message));
    expect(found.length).toBeLessThanOrEqual(2);
    expect(found.join('\n')).not.toContain(KEY_A);
  });

  it('accepts TLS from the MongoDB URL, and mTLS files instead of an API key', () => {
    expect(problems({ ...production, MONGO_TLS: undefined, MONGO_URL: 'mongodb://u:p@m:27017/?tls=true' })).toEqual([]);
    expect(
      problems({
        ...production,
        TEMPORAL_API_KEY: undefined,
        TEMPORAL_TLS_CERT_FILE: '/c.pem',
        TEMPORAL_TLS_KEY_FILE: '/k.pem',
      }),
    ).toEqual([]);
  });

  it('accepts plaintext transport only with ALLOW_INSECURE_TRANSPORT=true, never a demo secret', () => {
    const plain = {
      ...production,
      MONGO_TLS: undefined,
      KAFKA_TLS: undefined,
      KAFKA_SASL_MECHANISM: undefined,
      TEMPORAL_TLS: undefined,
      TEMPORAL_API_KEY: undefined,
    };
    expect(problems(plain)).toHaveLength(4);
    expect(problems({ ...plain, ALLOW_INSECURE_TRANSPORT: 'true' })).toEqual([]);
    expect(
      problems({ ...plain, ALLOW_INSECURE_TRANSPORT: 'true', AUTH_JWT_KEYS: `k:${DEMO_SECRETS[0]}` }),
    ).toHaveLength(1);
  });

  it('leaves development alone but still wants a key, and one source of keys', () => {
    const dev = { MONGO_URL: 'mongodb://m:1', KAFKA_BROKERS: 'k:1', TEMPORAL_ADDRESS: 't:1' };
    expect(problems({ ...dev, AUTH_JWT_SECRET: DEMO_SECRETS[0] })).toEqual([]);
    expect(problems(dev)).toEqual([expect.stringMatching(/AUTH_JWT_KEYS: is required but not set/)]);
    expect(problems({ ...dev, AUTH_JWT_SECRET: KEY_A, AUTH_JWT_KEYS: `k:${KEY_B}` })).toEqual([
      expect.stringMatching(/not both/),
    ]);
    expect(problems({ ...dev, AUTH_JWT_SECRET: KEY_A, KAFKA_SASL_MECHANISM: 'plain' })).toEqual([
      expect.stringMatching(/KAFKA_SASL_USERNAME/),
    ]);
  });
});

describe('token keys', () => {
  const cfgOf = (keys: string, audience?: string) =>
    jwtAuth(loadConfig(z.object(common.auth), { AUTH_JWT_KEYS: keys, AUTH_JWT_AUDIENCE: audience }));

  it('signs with the first key, its kid in the header, and verifies every listed key (rotation)', async () => {
    const before = cfgOf(`k1:${KEY_A}`);
    const during = cfgOf(`k2:${KEY_B},k1:${KEY_A}`);
    const after = cfgOf(`k2:${KEY_B}`);
    const old = await signToken({ role: 'staff', sub: 'clerk-1' }, before);
    const fresh = await signToken({ role: 'staff', sub: 'clerk-1' }, during);
    expect(JSON.parse(Buffer.from(fresh.split('.')[0], 'base64url').toString())).toMatchObject({ kid: 'k2' });
    await expect(verifyToken(old, during)).resolves.toMatchObject({ sub: 'clerk-1' });
    await expect(verifyToken(fresh, during)).resolves.toMatchObject({ sub: 'clerk-1' });
    await expect(verifyToken(fresh, after)).resolves.toMatchObject({ sub: 'clerk-1' });
    await expect(verifyToken(old, after)).rejects.toThrow(new AuthError('token key id "k1" is not known'));
    await expect(verifyToken(fresh, before)).rejects.toThrow(new AuthError('token key id "k2" is not known'));
  });

  it('rejects a token under a known kid signed with another secret, and a kid like "constructor"', async () => {
    const forged = await signToken({ role: 'staff', sub: 'x' }, { secret: 'f'.repeat(40), kid: 'k1', issuer: 'duban' });
    await expect(verifyToken(forged, cfgOf(`k1:${KEY_A}`))).rejects.toThrow(
      new AuthError('token signature is invalid'),
    );
    const proto = await signToken(
      { role: 'staff', sub: 'x' },
      { secret: 'f'.repeat(40), kid: 'constructor', issuer: 'duban' },
    );
    await expect(verifyToken(proto, cfgOf(`k1:${KEY_A}`))).rejects.toThrow(/is not known/);
  });

  it("checks the service's audience when it has one", async () => {
    const registry = cfgOf(`k1:${KEY_A}`, 'duban-registry');
    const sign = (aud?: string | string[]) => signToken({ role: 'operator', sub: 'worker' }, { ...registry, aud });
    await expect(verifyToken(await sign('duban-registry'), registry)).resolves.toMatchObject({ sub: 'worker' });
    await expect(verifyToken(await sign(['duban-scores', 'duban-registry']), registry)).resolves.toBeTruthy();
    await expect(verifyToken(await sign('duban-scores'), registry)).rejects.toThrow(
      new AuthError('token claim "aud" is invalid'),
    );
    await expect(verifyToken(await sign(), registry)).rejects.toThrow(/"aud"/);
    // Without an audience of its own a service does not look at `aud`.
    await expect(verifyToken(await sign('duban-scores'), cfgOf(`k1:${KEY_A}`))).resolves.toBeTruthy();
  });
});
