// The console's API for livelihood projects decided by the deputies' vote (民生实事项目票决制):
// cycles and projects as the livelihood service answers them, with the actions open to the
// caller now (the service derives them from the workflows' rules), the timeline from the case
// index where the caller may read it, and the to-do lists of each role. Ballots and ratings are
// forwarded as they are: nothing about them is logged, kept or answered beyond "cast".
import type express from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { HttpError, type Logger, type Principal } from '@duban/platform';
import type { Call, Upstream } from '../clients/services';
import { forward, type RouteHelpers } from './route-helpers';

export interface LivelihoodApiDeps extends Omit<RouteHelpers, 'handle'> {
  /** The livelihood service; without it the pages answer 503 and the to-do leaves it out. */
  livelihoodUrl?: string;
  caseIndexUrl: string;
  logger: Logger;
  handle: (fn: (req: Request, res: Response) => Promise<void>) => express.RequestHandler;
}

const cycleId = z.string().regex(/^livelihood-[a-z0-9-]+-\d{4}$/, 'must look like livelihood-cn-zj-demo-city-2027');
const projectId = z
  .string()
  .regex(/^livelihood-[a-z0-9-]+-\d{4}-p\d{2,}$/, 'must look like livelihood-cn-zj-demo-city-2027-p01');
const projectQuery = z
  .object({
    unit: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .optional(),
  })
  .strict();

/** The action routes the livelihood service answers (GET …/actions names them); only these are forwarded. */
const ACTION_PATH =
  /^\/(cycles|cycles\/livelihood-[a-z0-9-]+-\d{4}\/(candidates|candidates\/merge|candidates\/c\d{4,}\/(screening|feasibility)|collection\/close|ballot-list|votes|votes\/current\/close|ballots)|projects\/livelihood-[a-z0-9-]+-\d{4}-p\d{2,}\/(progress|inspections|findings\/i\d+-f\d+\/fix|mid-year-report|evaluation|evaluation-ballots|evaluation\/count|re-report))$/;

/** How a cycle's or project's stage reads in a to-do row. */
const STAGE_LABEL: Record<string, string> = {
  collecting: '征集中',
  screening: '初审中',
  feasibility: '可行性论证',
  ballotList: '确定票决名单',
  awaitingVote: '待投票',
  voting: '投票中',
  implementation: '实施中',
  carriedOver: '结转实施',
  evaluation: '满意度测评',
  reReport: '再报告',
  escalated: '督办升级',
  closed: '已办结',
};

export interface TodoRow {
  id: string;
  kind: 'livelihood_cycle' | 'livelihood_project';
  stage: string;
  stageLabel: string;
  title: string;
  leadUnit?: string;
  dueAt?: string;
  overdue?: boolean;
  href: string;
}
export interface TodoList {
  key: string;
  title: string;
  items: TodoRow[];
}

/** Days before a report's date from which it shows as due in the handler's to-do. */
const DUE_SOON_MS = 7 * 86_400_000;
const RUNNING = new Set(['implementation', 'carriedOver', 'evaluation', 'reReport']);

export function mountLivelihoodApi(app: express.Express, deps: LivelihoodApiDeps): void {
  const { handle, session, json } = deps;
  const L = deps.livelihoodUrl ?? '';
  // Without the livelihood service the pages answer 503 (as the other kinds' do).
  const call: Call = (token, base, path, init) => {
    if (!base) throw new HttpError(503, 'upstream_unavailable', '服务未配置 (livelihood is not configured)');
    return deps.call(token, base, path, init);
  };
  const parse = <T>(schema: z.ZodType<T>, raw: unknown, what: string): T => {
    const r = schema.safeParse(raw);
    if (!r.success) throw new HttpError(400, 'bad_request', `${what} "${String(raw)}": ${r.error.issues[0].message}`);
    return r.data;
  };
  const ok = (up: Upstream, what: string) => {
    if (up.status === 404)
      throw new HttpError(404, 'not_found', `${what} 不存在 (${up.body?.error?.message ?? 'not found'})`);
    if (up.status !== 200)
      throw new HttpError(up.status, up.body?.error?.code ?? 'upstream', up.body?.error?.message ?? 'refused');
    return up.body;
  };

  app.get(
    '/api/livelihood/cycles',
    handle(async (req, res) => {
      const { token } = await session(req);
      forward(res, await call(token, L, '/v1/livelihood/cycles?limit=50'));
    }),
  );

  // One cycle page in one call: the cycle, the actions open to the caller, the current vote's
  // turnout or result, the projects and the timeline (the case index's, where the caller may read it).
  app.get(
    '/api/livelihood/cycles/:id',
    handle(async (req, res) => {
      const { token } = await session(req);
      const id = parse(cycleId, req.params.id, 'cycle id');
      const base = `/v1/livelihood/cycles/${id}`;
      const [cycle, actions, projects, timeline] = await Promise.all([
        call(token, L, base),
        call(token, L, `${base}/actions`),
        call(token, L, `${base}/projects`),
        call(token, deps.caseIndexUrl, `/v1/cases/${id}/timeline`),
      ]);
      const c = ok(cycle, `票决周期 ${id}`);
      const last = (c.votes as { round: number; openedAt: string | null }[]).filter((v) => v.openedAt).pop();
      const vote = last ? await call(token, L, `${base}/votes/${last.round}`) : undefined;
      res.json({
        cycle: c,
        actions: ok(actions, `票决周期 ${id}`),
        vote: vote?.status === 200 ? vote.body : null,
        projects: projects.status === 200 ? projects.body.items : [],
        timeline: timeline.status === 200 ? timeline.body.events : null,
      });
    }),
  );
  app.get(
    '/api/livelihood/cycles/:id/votes/:round/recount',
    handle(async (req, res) => {
      const { token } = await session(req);
      const id = parse(cycleId, req.params.id, 'cycle id');
      const round = parse(z.string().regex(/^\d{1,2}$/, 'must be a round number'), req.params.round, 'round');
      forward(res, await call(token, L, `/v1/livelihood/cycles/${id}/votes/${round}/recount`));
    }),
  );

  app.get(
    '/api/livelihood/projects',
    handle(async (req, res) => {
      const { principal, token } = await session(req);
      const q = projectQuery.safeParse({ ...(req.query as object) });
      if (!q.success) throw new HttpError(400, 'bad_request', `unit: ${q.error.issues[0].message}`);
      // A handler sees the projects their unit leads unless they ask for another.
      const unit = q.data.unit ?? (principal.role === 'unit' ? principal.unit : undefined);
      const params = new URLSearchParams({ limit: '200', ...(unit ? { unit } : {}) });
      forward(res, await call(token, L, `/v1/livelihood/projects?${params}`));
    }),
  );
  app.get(
    '/api/livelihood/projects/:id',
    handle(async (req, res) => {
      const { token } = await session(req);
      const id = parse(projectId, req.params.id, 'project id');
      const base = `/v1/livelihood/projects/${id}`;
      const [project, actions, timeline] = await Promise.all([
        call(token, L, base),
        call(token, L, `${base}/actions`),
        call(token, deps.caseIndexUrl, `/v1/cases/${id}/timeline`),
      ]);
      res.json({
        project: ok(project, `民生实事项目 ${id}`),
        actions: ok(actions, `民生实事项目 ${id}`),
        timeline: timeline.status === 200 ? timeline.body.events : null,
      });
    }),
  );

  // Actions: the browser posts to a route an actions answer gave it, forwarded with the caller's
  // token (and Idempotency-Key). A ballot's body is passed on and forgotten.
  app.post(
    /^\/api\/livelihood\/.+$/,
    json,
    handle(async (req, res) => {
      const { token } = await session(req);
      const rest = req.path.slice('/api/livelihood'.length);
      if (!ACTION_PATH.test(rest)) throw new HttpError(404, 'not_found', `no route POST ${req.path}`);
      if (!req.is('application/json'))
        throw new HttpError(415, 'unsupported_media_type', 'the body must be JSON (Content-Type: application/json)');
      const key = req.header('idempotency-key');
      forward(
        res,
        await call(token, L, `/v1/livelihood${rest}`, {
          method: 'POST',
          body: req.body ?? {},
          ...(key ? { key } : {}),
        }),
      );
    }),
  );
}

/**
 * The livelihood to-do lists of a role (待办), from one answer of the service's waiting list
 * (running cases only, each asked for at most 2 s there): for staff the cycles with a step
 * waiting for them and the projects whose rating waits to be counted; for the feasibility
 * reviewer the candidates to review; for a deputy an open vote not yet cast and a project to
 * rate; for a handler their projects with a report due within a week or overdue, or a
 * re-report. A service that does not answer leaves its lists out.
 */
export async function livelihoodTodo(
  deps: Pick<LivelihoodApiDeps, 'livelihoodUrl' | 'call' | 'logger'>,
  principal: Principal,
  token: string,
): Promise<TodoList[]> {
  if (!deps.livelihoodUrl || !['staff', 'unit', 'deputy'].includes(principal.role)) return [];
  try {
    const up = await deps.call(token, deps.livelihoodUrl, '/v1/livelihood/waiting?limit=50');
    if (up.status !== 200) throw new Error(up.body?.error?.message ?? `status ${up.status}`);
    const w = up.body as Waiting;
    if (w.unanswered) deps.logger.warn({ unanswered: w.unanswered }, 'livelihood to-do: some cases did not answer');
    const lists: TodoList[] = [];
    const cycleRow = (c: WaitingCycle, what: string): TodoRow => ({
      id: c.cycleId,
      kind: 'livelihood_cycle',
      stage: c.stage,
      stageLabel: STAGE_LABEL[c.stage] ?? c.stage,
      title: what ? `${c.title}：${what}` : c.title,
      ...(c.dueAt ? { dueAt: c.dueAt } : {}),
      href: `/livelihood/cycles/${c.cycleId}`,
    });
    const titles = (actions: { action: string; title: string }[]) => {
      const n = new Map<string, number>();
      for (const a of actions) n.set(a.title, (n.get(a.title) ?? 0) + 1);
      return [...n].map(([t, k]) => (k > 1 ? `${t} ×${k}` : t)).join('、');
    };
    const rating = (p: WaitingProject, action: string) => p.actions.some((a) => a.action === action);

    if (principal.role === 'staff') {
      lists.push({
        key: 'lh-cycle',
        title: '民生实事票决：待办理的环节',
        items: w.cycles.filter((c) => c.actions.length).map((c) => cycleRow(c, titles(c.actions))),
      });
      lists.push({
        key: 'lh-evaluation',
        title: '民生实事项目：待统计满意度测评',
        items: w.projects.filter((p) => rating(p, 'countEvaluation')).map(projectRow),
      });
    }
    if (principal.role === 'unit') {
      const review = w.cycles.filter((c) => c.actions.some((a) => a.action === 'feasibility'));
      if (review.length)
        lists.push({
          key: 'lh-feasibility',
          title: '民生实事候选项目：待可行性论证',
          items: review.map((c) => cycleRow(c, titles(c.actions))),
        });
      const now = Date.now();
      const due = w.projects.filter(
        (p) =>
          p.leadUnit === principal.unit &&
          RUNNING.has(p.stage ?? '') &&
          (p.overdue || p.stage === 'reReport' || (!!p.dueAt && Date.parse(p.dueAt) - now <= DUE_SOON_MS)),
      );
      lists.push({ key: 'lh-progress', title: '民生实事项目：进度报告待报送', items: due.map(projectRow) });
    }
    if (principal.role === 'deputy') {
      lists.push({
        key: 'lh-vote',
        title: '民生实事票决：待投票',
        items: w.cycles.filter((c) => c.ballot && !c.ballot.cast && c.ballot.mayVote).map((c) => cycleRow(c, '')),
      });
      const toRate = w.projects.filter((p) => rating(p, 'evaluationBallot'));
      if (toRate.length)
        lists.push({ key: 'lh-rating', title: '民生实事项目：待满意度测评', items: toRate.map(projectRow) });
    }
    return lists;
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message }, 'livelihood to-do unavailable');
    return [];
  }
}

interface WaitingCycle {
  cycleId: string;
  title: string;
  stage: string;
  dueAt: string | null;
  actions: { action: string; title: string }[];
  ballot: { cast: boolean; mayVote: boolean; closesAt: string } | null;
}
type WaitingProject = ProjectRow & { actions: { action: string; title: string }[] };
interface Waiting {
  cycles: WaitingCycle[];
  projects: WaitingProject[];
  unanswered: number;
}

interface ProjectRow {
  projectId: string;
  title: string;
  leadUnit: string | null;
  stage: string | null;
  dueAt: string | null;
  overdue: boolean;
}

const projectRow = (p: ProjectRow): TodoRow => ({
  id: p.projectId,
  kind: 'livelihood_project',
  stage: p.stage ?? '',
  stageLabel: STAGE_LABEL[p.stage ?? ''] ?? p.stage ?? '',
  title: p.title,
  ...(p.leadUnit ? { leadUnit: p.leadUnit } : {}),
  ...(p.dueAt ? { dueAt: p.dueAt } : {}),
  overdue: p.overdue,
  href: `/livelihood/projects/${p.projectId}`,
});
