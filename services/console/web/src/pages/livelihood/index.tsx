// The livelihood pages (民生实事), loaded only when one is opened:
//   /livelihood                 the yearly cycles (staff: start one)
//   /livelihood/cycles/:id      a cycle: candidates, screening, feasibility, ballot list, the vote, results
//   /livelihood/projects        the projects (a handler: their unit's)
//   /livelihood/projects/:id    a project: reports, inspections, ratings
import type { Principal } from '../../api';
import { CyclePage } from './CyclePage';
import { CycleList, ProjectList } from './Lists';
import { ProjectPage } from './ProjectPage';

export default function LivelihoodRoutes({ path, me }: { path: string; me: Principal }) {
  const rest = path.slice('/livelihood'.length);
  const cycle = /^\/cycles\/([^/]+)$/.exec(rest);
  if (cycle) return <CyclePage key={cycle[1]} cycleId={decodeURIComponent(cycle[1])} me={me} />;
  const project = /^\/projects\/([^/]+)$/.exec(rest);
  if (project) return <ProjectPage key={project[1]} projectId={decodeURIComponent(project[1])} me={me} />;
  if (rest === '/projects') return <ProjectList me={me} />;
  return <CycleList me={me} />;
}
