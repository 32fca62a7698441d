// Errors that become HTTP responses with a body naming the problem.
import type { z } from 'zod';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details?: ErrorDetail[]) =>
  new HttpError(400, 'bad_request', message, details);
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);

/**
 * A zod error function for every parse of input: a field that is absent is reported as
 * "is required" (zod's own message, "expected string, received undefined", does not say that
 * the caller left it out). Anything else keeps zod's message. Pass it as
 * `schema.safeParse(input, { error: requiredFieldError })`.
 */
export function requiredFieldError(issue: { code?: string; input?: unknown }): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return undefined;
}

/** Turns zod issues into a 400 whose message names every field at fault. */
export function validationError(where: string, error: z.ZodError): HttpError {
  const details = error.issues.map((i) => ({
    path: i.path.length ? i.path.join('.') : '(root)',
    message: i.message,
  }));
  const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
  return new HttpError(400, 'validation_failed', `invalid ${where}: ${summary}`, details);
}
