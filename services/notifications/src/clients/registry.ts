// Contact details of deputies and units, read from the registry (events carry ids only). The
// service signs its own short-lived operator token; answers are cached briefly.
import { serviceAudience, signToken } from '@duban/platform';
import { PermanentError } from '../use-cases/errors';

export interface Contact {
  name?: string;
  email?: string;
}

export interface RegistryClient {
  contact(kind: 'deputy' | 'unit', id: string): Promise<Contact>;
}

export function createRegistryClient(opts: {
  baseUrl: string;
  /** The token signing key (secret, kid) and issuer. */
  secret: string;
  kid?: string;
  issuer: string;
  cacheMs?: number;
}): RegistryClient {
  const cacheMs = opts.cacheMs ?? 60_000;
  let token: { value: string; renewAt: number } | undefined;
  const cache = new Map<string, { contact: Contact; until: number }>();

  async function bearer(): Promise<string> {
    if (!token || Date.now() >= token.renewAt) {
      const value = await signToken(
        { role: 'operator', sub: 'notifications' },
        { secret: opts.secret, kid: opts.kid, issuer: opts.issuer, aud: serviceAudience('registry'), ttl: '5m' },
      );
      token = { value, renewAt: Date.now() + 4 * 60_000 };
    }
    return token.value;
  }

  return {
    async contact(kind, id) {
      const key = `${kind}:${id}`;
      const hit = cache.get(key);
      if (hit && hit.until > Date.now()) return hit.contact;
      const plural = kind === 'deputy' ? 'deputies' : 'units';
      const url = `${opts.baseUrl.replace(/\/$/, '')}/v1/${plural}/${encodeURIComponent(id)}`;
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { authorization: `Bearer ${await bearer()}` },
          signal: AbortSignal.timeout(5000),
        });
      } catch (err) {
        throw new Error(`the registry did not answer: ${(err as Error).message}`);
      }
      if (res.status === 404) throw new PermanentError(`${kind} "${id}" is not in the registry`);
      if (!res.ok) throw new Error(`the registry answered ${res.status} for ${kind} "${id}"`);
      const doc = (await res.json()) as { name?: unknown; email?: unknown };
      const contact: Contact = {
        name: typeof doc.name === 'string' ? doc.name : undefined,
        email: typeof doc.email === 'string' && doc.email ? doc.email : undefined,
      };
      cache.set(key, { contact, until: Date.now() + cacheMs });
      return contact;
    },
  };
}
