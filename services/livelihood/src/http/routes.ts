// All livelihood routes, in the order they are matched.
import type { RouteSpec } from '@duban/platform';
import { livelihoodCases, type LivelihoodDeps } from '../use-cases/livelihood';
import { assertRoutesFromTables } from './actions';
import { cycleRoutes } from './cycles';
import { listRoutes } from './lists';
import { projectRoutes } from './projects';

export function livelihoodRoutes(deps: LivelihoodDeps): RouteSpec[] {
  const cases = livelihoodCases(deps);
  const routes = [...listRoutes(deps, cases), ...cycleRoutes(deps, cases), ...projectRoutes(deps, cases)];
  // The actions endpoints describe each action by these tables; every one must be a route here.
  assertRoutesFromTables(routes);
  return routes;
}
