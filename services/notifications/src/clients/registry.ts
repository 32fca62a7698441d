// Contact details of deputies and units, read with the registry's client (events carry ids
// only). The service signs its own short-lived operator token; answers are cached briefly.
import { createRegistryClient as registryClient, serviceAuthorization, ttlCache } from '@duban/registry';
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
  const registry = registryClient(opts.baseUrl);
  const authorization = serviceAuthorization({
    sub: 'notifications',
    secret: opts.secret,
    kid: opts.kid,
    issuer: opts.issuer,
  });
  const cached = ttlCache(opts.cacheMs ?? 60_000);
  return {
    contact: (kind, id) =>
      cached(`${kind}:${id}`, async () => {
        const auth = await authorization();
        const doc = kind === 'deputy' ? await registry.deputy(id, auth) : await registry.unit(id, auth);
        if (!doc) throw new PermanentError(`${kind} "${id}" is not in the registry`);
        return {
          name: typeof doc.name === 'string' ? doc.name : undefined,
          email: typeof doc.email === 'string' && doc.email ? doc.email : undefined,
        };
      }),
  };
}
