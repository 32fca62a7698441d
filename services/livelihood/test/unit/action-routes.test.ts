// GET …/actions describes each livelihood action by the tables in actions.ts (path, roles, body
// schema); the POST routes are built from the same tables, and the service refuses to start if
// one of them is not a route with the table's roles and body.
import type { RouteSpec } from '@duban/platform';
import { livelihoodRoutes } from '../../src/app';
import { BODIES, CYCLE_ROUTES, PROJECT_ROUTES, assertRoutesFromTables } from '../../src/http/actions';

const routes = livelihoodRoutes({
  models: {} as never,
  temporal: {} as never,
  taskQueue: 'q',
  registry: {} as never,
  tallyGraceMs: 0,
});

it('has a POST route for every action of the tables, with its roles and body', () => {
  const posts = routes.filter((r) => r.method === 'post').map((r) => r.path);
  for (const r of Object.values(CYCLE_ROUTES)) expect(posts).toContain(`/v1/livelihood/cycles/:cycleId/${r.path}`);
  for (const r of Object.values(PROJECT_ROUTES))
    expect(posts).toContain(`/v1/livelihood/projects/:projectId/${r.path}`);
});

it('refuses routes that drifted from the tables', () => {
  const without = routes.filter((r) => !r.path.endsWith('/ballots'));
  expect(() => assertRoutesFromTables(without)).toThrow(/castBallot: no route POST/);
  const otherBody = routes.map((r) => (r.path.endsWith('/screening') ? { ...r, body: BODIES.merge } : r));
  expect(() => assertRoutesFromTables(otherBody as RouteSpec[])).toThrow(/screen: the route takes another body/);
  const otherRoles = routes.map((r) => (r.path.endsWith('/ballot-list') ? { ...r, roles: ['staff', 'unit'] } : r));
  expect(() => assertRoutesFromTables(otherRoles as RouteSpec[])).toThrow(/ballotList: the route allows staff, unit/);
});
