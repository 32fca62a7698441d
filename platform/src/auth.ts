// Identity: every API request carries a signed JWT naming a role and a subject.
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';

export const ROLES = ['deputy', 'unit', 'staff', 'citizen', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export const principalSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  /** For role "unit": the handling unit the handler works for. */
  unit: z.string().min(1).optional(),
  name: z.string().optional(),
});
export type Principal = z.infer<typeof principalSchema>;

export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

/**
 * Signing and verifying settings. `secret` (with `kid`, when it has one) signs; `keys` lists every
 * key accepted by kid (during a rotation the previous key stays listed); a token without a kid is
 * checked against `secret`. `audience`, when set, must be in the token's `aud`.
 */
export interface JwtAuth {
  secret: string;
  kid?: string;
  keys?: Record<string, string>;
  issuer: string;
  audience?: string;
}

/** The services' audiences (`aud`): one per service, `duban-<service>`. */
export const SERVICE_NAMES = [
  'case-index',
  'citizen',
  'console',
  'duties',
  'livelihood',
  'notifications',
  'oversight',
  'registry',
  'scores',
  'suggestions',
] as const;
export const serviceAudience = (service: (typeof SERVICE_NAMES)[number]) => `duban-${service}`;
/** Tokens for people: valid at every service. */
export const ALL_AUDIENCES: string[] = SERVICE_NAMES.map(serviceAudience);

/** The token settings of a process from its configuration (AUTH_JWT_KEYS, or AUTH_JWT_SECRET in development). */
export function jwtAuth(cfg: {
  AUTH_JWT_SECRET?: string;
  AUTH_JWT_KEYS?: { kid: string; secret: string }[];
  AUTH_JWT_AUDIENCE?: string;
  AUTH_ISSUER: string;
}): JwtAuth {
  const [current] = cfg.AUTH_JWT_KEYS ?? [];
  const secret = current?.secret ?? cfg.AUTH_JWT_SECRET;
  if (!secret) throw new AuthError('no token key configured (AUTH_JWT_KEYS or AUTH_JWT_SECRET)');
  return {
    secret,
    issuer: cfg.AUTH_ISSUER,
    ...(current
      ? { kid: current.kid, keys: Object.fromEntries(cfg.AUTH_JWT_KEYS!.map((k) => [k.kid, k.secret])) }
      : {}),
    ...(cfg.AUTH_JWT_AUDIENCE ? { audience: cfg.AUTH_JWT_AUDIENCE } : {}),
  };
}

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signToken(
  principal: Principal,
  opts: Pick<JwtAuth, 'secret' | 'kid' | 'issuer'> & { ttl?: string | number; aud?: string | string[] },
): Promise<string> {
  const p = principalSchema.parse(principal);
  if (p.role === 'unit' && !p.unit) throw new AuthError('a unit token must name its unit');
  const claims: Record<string, string> = { role: p.role };
  if (p.unit) claims.unit = p.unit;
  if (p.name) claims.name = p.name;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', ...(opts.kid ? { kid: opts.kid } : {}) })
    .setSubject(p.sub)
    .setIssuer(opts.issuer)
    .setIssuedAt()
    .setExpirationTime(opts.ttl ?? '12h');
  if (opts.aud !== undefined) jwt.setAudience(opts.aud);
  return jwt.sign(key(opts.secret));
}

export async function verifyToken(
  token: string,
  opts: Pick<JwtAuth, 'secret' | 'keys' | 'issuer' | 'audience'>,
): Promise<Principal> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(
      token,
      (header) => {
        if (header.kid === undefined) return key(opts.secret);
        const secret = opts.keys && Object.hasOwn(opts.keys, header.kid) ? opts.keys[header.kid] : undefined;
        if (secret === undefined) throw new AuthError(`token key id "${header.kid.slice(0, 64)}" is not known`);
        return key(secret);
      },
      {
        issuer: opts.issuer,
        algorithms: ['HS256'],
        ...(opts.audience ? { audience: opts.audience } : {}),
      },
    ));
  } catch (err) {
    if (err instanceof AuthError) throw err;
    if (err instanceof joseErrors.JWTExpired) throw new AuthError('token expired');
    if (err instanceof joseErrors.JWTClaimValidationFailed)
      throw new AuthError(`token claim "${err.claim}" is invalid`);
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw new AuthError('token signature is invalid');
    throw new AuthError('token is malformed');
  }
  const parsed = principalSchema.safeParse(payload);
  if (!parsed.success) throw new AuthError('token lacks a valid role or subject');
  if (parsed.data.role === 'unit' && !parsed.data.unit) throw new AuthError('a unit token must name its unit');
  return parsed.data;
}
