// "What may this caller do now", answered from the routes themselves: an open action names the
// POST route that takes it, and its path, allowed roles and request body's JSON Schema are that
// route's own (the zod schema it validates with). The case services decide which actions are
// open from their workflows' gates; this only describes them, so a listed action cannot point to
// a route that does not exist or carry another schema than the one the route applies.
import { z } from 'zod';
import type { Principal } from '../auth';
import type { RouteSpec } from './service';

/** One action open to the caller, as the console renders it. */
export interface OpenAction {
  action: string;
  title: string;
  method: 'POST';
  /** The concrete path to POST to (parameters filled in). */
  path: string;
  /** The request body's JSON Schema (input side), from the route's zod schema. */
  schema: unknown;
  /** What the action is on, inside the case: a unit's part, an item, a ladder. */
  target?: Record<string, string>;
  /** Values a form starts with (e.g. the case an inquiry is filed for). */
  prefill?: Record<string, unknown>;
}

export interface ActionRequest {
  action: string;
  title: string;
  /** The route's Express path, e.g. "/v1/review-opinions/:id/items/:itemId/feedback". */
  route: string;
  params?: Record<string, string>;
  target?: Record<string, string>;
  prefill?: Record<string, unknown>;
}

/**
 * Describes actions by the service's POST routes. Throws at once for a route that is not among
 * them or a path parameter left unfilled (a programming error, caught by the service's tests);
 * answers undefined for a caller whose role the route does not allow.
 */
export function actionCatalog(routes: readonly RouteSpec[]) {
  const byPath = new Map(routes.filter((r) => r.method === 'post').map((r) => [r.path, r]));
  const schemas = new Map<string, unknown>();
  const schemaOf = (spec: RouteSpec) => {
    if (!schemas.has(spec.path))
      schemas.set(
        spec.path,
        spec.body ? z.toJSONSchema(spec.body, { io: 'input' }) : { type: 'object', properties: {} },
      );
    return schemas.get(spec.path);
  };
  return function describe(principal: Pick<Principal, 'role'>, a: ActionRequest): OpenAction | undefined {
    const spec = byPath.get(a.route);
    if (!spec) throw new Error(`no route POST ${a.route} for action ${a.action}`);
    if (!spec.roles.includes(principal.role)) return undefined;
    const path = a.route.replace(/:(\w+)/g, (_, name: string) => {
      const v = a.params?.[name];
      if (v === undefined) throw new Error(`action ${a.action}: no value for :${name} of ${a.route}`);
      return encodeURIComponent(v);
    });
    return {
      action: a.action,
      title: a.title,
      method: 'POST',
      path,
      schema: schemaOf(spec),
      ...(a.target ? { target: a.target } : {}),
      ...(a.prefill ? { prefill: a.prefill } : {}),
    };
  };
}

export type ActionDescriber = ReturnType<typeof actionCatalog>;

/** The described actions, without those the caller's role may not take. */
export const described = (items: (OpenAction | undefined)[]): OpenAction[] =>
  items.filter((a): a is OpenAction => a !== undefined);
