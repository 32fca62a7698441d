import { z } from 'zod';
import { ConfigError, common, loadConfig, signToken, verifyToken, AuthError } from '../../src';

describe('config', () => {
  const schema = z.object({
    MONGO_URL: common.MONGO_URL,
    KAFKA_BROKERS: common.KAFKA_BROKERS,
    AUTH_JWT_SECRET: common.AUTH_JWT_SECRET,
  });

  it('parses a valid environment', () => {
    const cfg = loadConfig(schema, {
      MONGO_URL: 'mongodb://h:1',
      KAFKA_BROKERS: 'a:1,b:2',
      AUTH_JWT_SECRET: 'x'.repeat(32),
    });
    expect(cfg.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
  });

  it('names every missing or malformed variable, without printing values', () => {
    let err: unknown;
    try {
      loadConfig(schema, { MONGO_URL: 'postgres://secret-host', AUTH_JWT_SECRET: 'short-secret' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/MONGO_URL: must be a mongodb:\/\/ URL/);
    expect(msg).toMatch(/KAFKA_BROKERS: is required but not set/);
    expect(msg).toMatch(/AUTH_JWT_SECRET: must be at least 32 characters/);
    expect(msg).not.toMatch(/secret-host|short-secret/);
  });
});

describe('tokens', () => {
  const opts = { secret: 's'.repeat(32), issuer: 'duban' };

  it('round-trips a principal', async () => {
    const t = await signToken({ role: 'unit', sub: 'handler-1', unit: 'edu-bureau' }, opts);
    await expect(verifyToken(t, opts)).resolves.toMatchObject({ role: 'unit', sub: 'handler-1', unit: 'edu-bureau' });
  });

  it('rejects a token signed with another secret, or expired', async () => {
    const other = await signToken({ role: 'deputy', sub: 'd' }, { ...opts, secret: 'o'.repeat(32) });
    await expect(verifyToken(other, opts)).rejects.toThrow(new AuthError('token signature is invalid'));
    const expired = await signToken({ role: 'deputy', sub: 'd' }, { ...opts, ttl: Math.floor(Date.now() / 1000) - 10 });
    await expect(verifyToken(expired, opts)).rejects.toThrow(new AuthError('token expired'));
  });

  it('refuses a unit token without its unit', async () => {
    await expect(signToken({ role: 'unit', sub: 'h' }, opts)).rejects.toThrow(/must name its unit/);
  });
});
