// What every HTTP answer carries (security headers) and the per-person limit on writes.
import type { NextFunction, Request, Response } from 'express';
import { RATE_LIMIT_PRODUCTION_DEFAULT, isProduction, type DeploymentConfig, type HttpSecurityConfig } from '../config';

export type HttpSecuritySettings = Partial<HttpSecurityConfig & DeploymentConfig>;

/** An API answers JSON only: nothing may load, frame or run it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** The console's built web app: its own scripts, styles (charts set inline styles), images and API. */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export function securityHeaders(settings: HttpSecuritySettings, csp: string = API_CSP) {
  const hsts = isProduction(settings);
  return (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('content-security-policy', csp);
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    // Production runs behind TLS; in development the services speak plain HTTP on localhost.
    if (hsts) res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
    next();
  };
}

/** Writes per minute: the setting, else 120 in production and no limit in development. */
export function writesPerMinute(settings: HttpSecuritySettings): number {
  return settings.RATE_LIMIT_WRITES_PER_MINUTE ?? (isProduction(settings) ? RATE_LIMIT_PRODUCTION_DEFAULT : 0);
}

/**
 * A fixed one-minute window per key (a person's `sub`, or an IP without a valid token), in memory:
 * each replica counts its own requests. `take` answers the seconds to wait, or 0 when allowed.
 */
export function fixedWindowLimiter(perMinute: number, now: () => number = Date.now) {
  let window = -1;
  let counts = new Map<string, number>();
  return {
    take(key: string): number {
      if (perMinute <= 0) return 0;
      const t = now();
      const current = Math.floor(t / 60_000);
      if (current !== window) {
        window = current;
        counts = new Map();
      }
      const used = (counts.get(key) ?? 0) + 1;
      counts.set(key, used);
      return used > perMinute ? Math.max(1, Math.ceil(((current + 1) * 60_000 - t) / 1000)) : 0;
    },
  };
}
