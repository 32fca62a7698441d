import { signWebhook, verifyWebhook } from '../../src/clients/webhook-signature';

const secret = 'whsec_test';
const body = JSON.stringify({ deliveryId: 'd-1', type: 'ReplyReminderSent' });
const now = 1_770_000_000;

function signed(overrides: Partial<Parameters<typeof verifyWebhook>[0]> = {}) {
  return {
    secret,
    timestamp: String(now),
    signature: signWebhook(secret, now, body),
    body,
    deliveryId: 'd-1',
    now,
    ...overrides,
  };
}

describe('verifyWebhook', () => {
  it('accepts a correctly signed, fresh request', () => {
    expect(verifyWebhook(signed())).toEqual({ ok: true });
    expect(verifyWebhook(signed({ body: Buffer.from(body) }))).toEqual({ ok: true });
  });

  it('rejects a tampered body, a wrong secret, or a signature of another timestamp', () => {
    expect(verifyWebhook(signed({ body: body.replace('d-1', 'd-2') }))).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyWebhook(signed({ secret: 'whsec_other' }))).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhook(signed({ timestamp: String(now + 1) }))).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyWebhook(signed({ signature: 'v1=00' }))).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a stale timestamp even with a valid signature', () => {
    const old = now - 301;
    const stale = signed({ timestamp: String(old), signature: signWebhook(secret, old, body) });
    expect(verifyWebhook(stale)).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    expect(verifyWebhook({ ...stale, toleranceSeconds: 600 })).toEqual({ ok: true });
  });

  it('rejects a replayed delivery id, and only marks verified deliveries as seen', () => {
    const seen = new Set<string>();
    expect(verifyWebhook(signed({ seen, body: 'forged' }))).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(seen.size).toBe(0);
    expect(verifyWebhook(signed({ seen }))).toEqual({ ok: true });
    expect(verifyWebhook(signed({ seen }))).toMatchObject({ ok: false, reason: 'replayed' });
  });

  it('rejects a request without its headers', () => {
    expect(verifyWebhook(signed({ signature: undefined }))).toMatchObject({ ok: false, reason: 'missing_header' });
    expect(verifyWebhook(signed({ deliveryId: undefined }))).toMatchObject({ ok: false, reason: 'missing_header' });
    expect(verifyWebhook(signed({ timestamp: undefined }))).toMatchObject({ ok: false, reason: 'missing_header' });
  });
});
