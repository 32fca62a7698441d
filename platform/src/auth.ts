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

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signToken(
  principal: Principal,
  opts: { secret: string; issuer: string; ttl?: string | number },
): Promise<string> {
  const p = principalSchema.parse(principal);
  if (p.role === 'unit' && !p.unit) throw new AuthError('a unit token must name its unit');
  const claims: Record<string, string> = { role: p.role };
  if (p.unit) claims.unit = p.unit;
  if (p.name) claims.name = p.name;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(p.sub)
    .setIssuer(opts.issuer)
    .setIssuedAt()
    .setExpirationTime(opts.ttl ?? '12h')
    .sign(key(opts.secret));
}

export async function verifyToken(token: string, opts: { secret: string; issuer: string }): Promise<Principal> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key(opts.secret), {
      issuer: opts.issuer,
      algorithms: ['HS256'],
    }));
  } catch (err) {
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
