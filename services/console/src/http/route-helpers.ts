// What every group of console routes is given by the app: the caller's session, the call to a
// service behind, the error handling wrapper and the JSON body parser.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { HttpError, type Principal } from '@duban/platform';
import type { Call, Upstream } from '../clients/services';

export interface RouteHelpers {
  session: (req: Request) => Promise<{ principal: Principal; token: string }>;
  call: Call;
  handle: (
    fn: (req: Request, res: Response) => Promise<void>,
  ) => (req: Request, res: Response, next: NextFunction) => void;
  json: RequestHandler;
}

/** A query (or parameter) checked against its schema; 400 naming each field that is wrong. */
export const parseQuery = <T>(schema: z.ZodType<T>, v: unknown): T => {
  const r = schema.safeParse(v);
  if (!r.success)
    throw new HttpError(400, 'bad_request', r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
};

/** Answers with what the service behind answered. */
export const forward = (res: Response, up: Upstream): void => void res.status(up.status).json(up.body);
