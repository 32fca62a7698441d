// Each livelihood action's route, the roles it takes and the zod schema its body is validated
// with: the routes in app.ts are built from these tables, and GET …/actions answers from them
// (each open action with its route and its body's JSON Schema), so what the console offers and
// what the service accepts cannot drift apart. Which actions are open comes from the rules the
// workflows' validators use (workflows/src/livelihood/rules.ts) and, for the ballot and the
// ratings, from the checks the service makes itself (votes.ts).
import { z } from 'zod';
import { RATINGS } from '@duban/domain';
import type { Role, RouteSpec } from '@duban/platform';
import type { CycleAction, CycleState, OpenAction, ProjectAction, ProjectState } from '@duban/workflows';
import { isBallotEligible, isLiveCandidate } from '@duban/workflows';

export const lowerId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id');
export const candidateId = z.string().regex(/^c\d{4,}$/, 'must be a candidate id like c0001');
export const text = (min = 2, max = 4000) =>
  z.string().trim().min(min, `must be at least ${min} characters`).max(max, `must be at most ${max} characters`);
export const count = z.number().int().min(0).max(1_000_000);
const yuan = z.number().min(0).max(1e13);
const report = z.object({ summary: text(2, 20000) }).strict();

/** The request bodies, by action. */
export const BODIES = {
  start: z.object({ jurisdiction: lowerId, year: z.number().int().min(2000).max(2999) }).strict(),
  propose: z.object({ title: text(4, 200), category: lowerId, stationId: lowerId.optional() }).strict(),
  merge: z.object({ into: candidateId, merge: z.array(candidateId).min(1).max(100), reason: text(2) }).strict(),
  screen: z
    .object({ decision: z.enum(['accept', 'reject']), reason: text(2).optional() })
    .strict()
    .refine((b) => b.decision === 'accept' || !!b.reason, {
      message: 'a rejection needs a reason',
      path: ['reason'],
    }),
  closeCollection: z.object({}).strict(),
  feasibility: z
    .object({
      feasible: z.boolean(),
      costEstimate: yuan,
      leadUnit: lowerId,
      coUnits: z.array(lowerId).max(20).optional(),
      milestones: z
        .array(z.object({ name: text(2, 200), dueDate: z.iso.date() }).strict())
        .max(24)
        .optional(),
      note: text(2),
    })
    .strict(),
  ballotList: z.object({ candidateIds: z.array(candidateId).min(2).max(200) }).strict(),
  openVote: z.object({ present: count }).strict(),
  /** Checked again against the open vote (votes.ts ballotBodyOf); the actions endpoint serves that. */
  castBallot: z.object({ choices: z.array(candidateId).max(200) }).strict(),
  closeVote: z.object({}).strict(),
  progress: z
    .object({
      percent: z.number().int().min(0).max(100),
      spent: yuan,
      summary: text(2, 20000),
      milestonesDone: z
        .array(z.string().regex(/^m\d+$/, 'must be a milestone id like m1'))
        .max(50)
        .optional(),
    })
    .strict(),
  inspection: z
    .object({
      group: lowerId,
      findings: z
        .array(
          z
            .object({
              text: text(2, 4000),
              fixRequired: z.boolean(),
              fixDueAt: z.iso.datetime({ offset: true }).optional(),
            })
            .strict(),
        )
        .max(50),
    })
    .strict(),
  reportFix: z.object({ note: text(2) }).strict(),
  midYearReport: report,
  evaluation: z.object({ satisfied: count, basicallySatisfied: count, unsatisfied: count }).strict(),
  evaluationBallot: z.object({ rating: z.enum(RATINGS) }).strict(),
  countEvaluation: z.object({}).strict(),
  reReport: report,
};

interface ActionRoute {
  /** Below /v1/livelihood/cycles/:cycleId/ or /v1/livelihood/projects/:projectId/; a `:param` is the action's target. */
  path: string;
  title: string;
  roles: readonly Role[];
  body: z.ZodType;
}

export type CycleRouteAction = CycleAction | 'castBallot';
export type ProjectRouteAction = ProjectAction | 'evaluationBallot' | 'countEvaluation';

export const CYCLE_ROUTES: Record<CycleRouteAction, ActionRoute> = {
  propose: {
    path: 'candidates',
    title: '征集候选项目',
    roles: ['citizen', 'deputy', 'unit', 'staff'],
    body: BODIES.propose,
  },
  merge: { path: 'candidates/merge', title: '合并重复项目', roles: ['staff'], body: BODIES.merge },
  screen: { path: 'candidates/:candidateId/screening', title: '初审', roles: ['staff'], body: BODIES.screen },
  closeCollection: { path: 'collection/close', title: '截止征集', roles: ['staff'], body: BODIES.closeCollection },
  feasibility: {
    path: 'candidates/:candidateId/feasibility',
    title: '可行性论证',
    roles: ['unit'],
    body: BODIES.feasibility,
  },
  ballotList: { path: 'ballot-list', title: '确定票决名单', roles: ['staff'], body: BODIES.ballotList },
  openVote: { path: 'votes', title: '开始投票', roles: ['staff'], body: BODIES.openVote },
  castBallot: { path: 'ballots', title: '投票', roles: ['deputy'], body: BODIES.castBallot },
  closeVote: { path: 'votes/current/close', title: '结束投票并计票', roles: ['staff'], body: BODIES.closeVote },
};

export const PROJECT_ROUTES: Record<ProjectRouteAction, ActionRoute> = {
  progress: { path: 'progress', title: '进度报告', roles: ['unit'], body: BODIES.progress },
  inspection: { path: 'inspections', title: '视察', roles: ['deputy', 'staff'], body: BODIES.inspection },
  reportFix: { path: 'findings/:findingId/fix', title: '整改报告', roles: ['unit'], body: BODIES.reportFix },
  midYearReport: { path: 'mid-year-report', title: '年中报告', roles: ['unit'], body: BODIES.midYearReport },
  evaluation: { path: 'evaluation', title: '录入测评结果', roles: ['staff'], body: BODIES.evaluation },
  evaluationBallot: {
    path: 'evaluation-ballots',
    title: '满意度测评',
    roles: ['deputy'],
    body: BODIES.evaluationBallot,
  },
  countEvaluation: {
    path: 'evaluation/count',
    title: '统计代表测评',
    roles: ['staff'],
    body: BODIES.countEvaluation,
  },
  reReport: { path: 're-report', title: '再报告', roles: ['unit'], body: BODIES.reReport },
};

/** One open action as GET …/actions answers it. */
export interface ActionView {
  action: string;
  title: string;
  method: 'POST' | 'GET';
  path: string;
  /** The candidate, finding or vote round the action is for. */
  target?: string;
  /** The request body's JSON Schema (from the zod schema the route validates with). */
  schema: unknown;
  /** Fields whose values must be one of these ids (candidates, milestones, groups): the console's pick lists. */
  options?: Record<string, string[]>;
}

export const jsonSchemaOf = (body: z.ZodType) => z.toJSONSchema(body, { io: 'input' });

export function describeAction(
  base: string,
  table: Record<string, ActionRoute>,
  open: OpenAction<string>,
  extra: { schema?: z.ZodType; options?: Record<string, string[]> } = {},
): ActionView {
  const r = table[open.action];
  const target = open.target ? encodeURIComponent(open.target) : '';
  return {
    action: open.action,
    title: r.title,
    method: 'POST',
    path: `${base}/${r.path.replace(/:[A-Za-z]+/, target)}`,
    ...(open.target ? { target: open.target } : {}),
    schema: jsonSchemaOf(extra.schema ?? r.body),
    ...(extra.options ? { options: extra.options } : {}),
  };
}

/** The pick lists of a cycle action: the candidates its validator would take. */
export function cycleOptions(state: CycleState, action: string): Record<string, string[]> | undefined {
  const ids = (pred: (c: CycleState['candidates'][number]) => boolean) =>
    state.candidates.filter(pred).map((c) => c.candidateId);
  if (action === 'merge') return { into: ids(isLiveCandidate), merge: ids((c) => c.status !== 'merged') };
  if (action === 'ballotList') return { candidateIds: ids(isBallotEligible) };
  return undefined;
}

/** The pick lists of a project action: the milestones not yet reached. */
export function projectOptions(state: ProjectState, action: string): Record<string, string[]> | undefined {
  if (action === 'progress')
    return { milestonesDone: state.milestones.filter((m) => !m.done).map((m) => m.milestoneId) };
  return undefined;
}

/**
 * Every action of the tables is a POST route of the service with the table's roles and body
 * schema (the very object): what GET …/actions describes is what the route takes. Throws at
 * start-up otherwise.
 */
export function assertRoutesFromTables(routes: readonly RouteSpec[]): void {
  const tables = [
    ['/v1/livelihood/cycles/:cycleId/', CYCLE_ROUTES],
    ['/v1/livelihood/projects/:projectId/', PROJECT_ROUTES],
  ] as const;
  for (const [base, table] of tables)
    for (const [action, r] of Object.entries(table)) {
      const route = routes.find((x) => x.method === 'post' && x.path === base + r.path);
      if (!route) throw new Error(`livelihood action ${action}: no route POST ${base}${r.path}`);
      if (route.body !== r.body) throw new Error(`livelihood action ${action}: the route takes another body schema`);
      if ([...route.roles].sort().join() !== [...r.roles].sort().join())
        throw new Error(`livelihood action ${action}: the route allows ${route.roles.join(', ')}`);
    }
}
