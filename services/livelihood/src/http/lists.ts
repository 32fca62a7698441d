// The livelihood lists: cycles, projects, a caller's to-do list, and the actions open on a case.
import { z } from 'zod';
import { notFound, parseParam, route, type RouteSpec } from '@duban/platform';
import { AtRisk, CycleYear, DueAt, Jurisdiction, Overdue, Stage, Unit, cycleIdOf } from '@duban/workflows';
import { BODIES, jsonSchemaOf, type ActionView } from './actions';
import { ALL, CYCLE_START_ROLES, cycleIdParam, listQuery, projectIdParam, projectListQuery } from './params';
import { type LivelihoodCases, type LivelihoodDeps } from '../use-cases/livelihood';

export function listRoutes(deps: LivelihoodDeps, cases: LivelihoodCases): RouteSpec[] {
  const { cycleState, projectState, cycleActions, projectActions, listCases, waiting } = cases;

  return [
    route({
      method: 'get',
      path: '/v1/livelihood/cycles',
      summary:
        "The cycles (one a year per jurisdiction) from Temporal's visibility: stage and its date; staff also get the action that starts one",
      roles: ALL,
      query: listQuery,
      handler: async ({ principal, query }) => {
        const q = query as z.infer<typeof listQuery>;
        // This deployment's cycles: those on its own task queue (a queue no worker serves holds none of its cases).
        const where = [`CaseKind = 'livelihood_cycle'`, `TaskQueue = '${deps.taskQueue.replace(/'/g, '')}'`];
        if (q.jurisdiction) where.push(`Jurisdiction = '${q.jurisdiction}'`);
        if (q.year) where.push(`CycleYear = ${q.year}`);
        const seen = new Map<string, Record<string, unknown>>();
        for (const wf of await listCases(where.join(' AND '), q.limit)) {
          const sa = wf.typedSearchAttributes;
          const jurisdiction = sa.get(Jurisdiction);
          const year = sa.get(CycleYear);
          if (!jurisdiction || !year) continue;
          const cycleId = cycleIdOf(jurisdiction, year);
          const running = wf.status.name === 'RUNNING';
          const prior = seen.get(cycleId);
          if (prior && (prior.status === 'running' || !running)) continue;
          seen.set(cycleId, {
            cycleId,
            workflowId: wf.workflowId,
            jurisdiction,
            year,
            title: `${year} 年民生实事项目票决`,
            stage: sa.get(Stage) ?? null,
            dueAt: sa.get(DueAt)?.toISOString() ?? null,
            status: wf.status.name.toLowerCase(),
            startedAt: wf.startTime.toISOString(),
          });
        }
        const items = [...seen.values()]
          .sort((a, b) => Number(b.year) - Number(a.year) || String(a.cycleId).localeCompare(String(b.cycleId)))
          .slice(0, q.limit);
        const actions: ActionView[] = CYCLE_START_ROLES.includes(principal.role)
          ? [
              {
                action: 'start',
                title: '启动年度票决',
                method: 'POST',
                path: '/v1/livelihood/cycles',
                schema: jsonSchemaOf(BODIES.start),
              },
            ]
          : [];
        return { body: { items, actions } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/livelihood/projects',
      summary:
        "Livelihood projects from Temporal's visibility, by lead department (unit) or jurisdiction: stage, next due date, overdue and at risk",
      roles: ALL,
      query: projectListQuery,
      handler: async ({ query }) => {
        const q = query as z.infer<typeof projectListQuery>;
        const where = [`CaseKind = 'livelihood_project'`, `TaskQueue = '${deps.taskQueue.replace(/'/g, '')}'`];
        if (q.unit) where.push(`Unit = '${q.unit}'`);
        if (q.jurisdiction) where.push(`Jurisdiction = '${q.jurisdiction}'`);
        const seen = new Map<string, Record<string, unknown>>();
        for (const wf of await listCases(where.join(' AND '), q.limit)) {
          if (seen.has(wf.workflowId)) continue;
          const sa = wf.typedSearchAttributes;
          const memo = (wf.memo ?? {}) as { title?: string; cycleId?: string };
          seen.set(wf.workflowId, {
            projectId: wf.workflowId,
            cycleId: memo.cycleId ?? null,
            title: memo.title ?? wf.workflowId,
            leadUnit: sa.get(Unit) ?? null,
            cycleYear: sa.get(CycleYear) ?? null,
            stage: sa.get(Stage) ?? null,
            dueAt: sa.get(DueAt)?.toISOString() ?? null,
            overdue: sa.get(Overdue) ?? false,
            atRisk: sa.get(AtRisk) ?? false,
            status: wf.status.name.toLowerCase(),
          });
        }
        return { body: { items: [...seen.values()].slice(0, q.limit) } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/livelihood/waiting',
      summary:
        "The caller's livelihood to-do: running cycles on which they have an action open now (a deputy: a vote they may still cast), a handler's own running projects with their report dates, projects whose evaluation waits for the caller's rating (deputy) or count (staff). Only running workflows on this service's task queue are asked, each for at most 2 s; one that does not answer is left out and counted in `unanswered`.",
      roles: ['staff', 'operator', 'unit', 'deputy'],
      query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict(),
      handler: async ({ req, principal, query }) => ({
        body: await waiting(principal, req.header('authorization')!, (query as { limit: number }).limit),
      }),
    }),
    route({
      method: 'get',
      path: '/v1/livelihood/cycles/:cycleId/actions',
      summary:
        'What the caller may do in the cycle now (from its live state, by the rules the workflow validators apply; the ballot by the checks a ballot meets): each action with its route and request body schema',
      roles: ALL,
      responses: { 200: 'The open actions; for a deputy during a vote, whether they have voted (never how)' },
      handler: async ({ principal, params }) => {
        const cycleId = parseParam(cycleIdParam, params.cycleId, 'cycle id');
        return { body: await cycleActions(cycleId, await cycleState(cycleId), principal) };
      },
    }),
    route({
      method: 'get',
      path: '/v1/livelihood/projects/:projectId/actions',
      summary:
        'What the caller may do on the project now (by the rules the workflow validators apply; a rating by the checks a rating meets): each action with its route and request body schema',
      roles: ALL,
      responses: { 200: 'The open actions; for a deputy during an evaluation, whether they have rated (never how)' },
      handler: async ({ req, principal, params }) => {
        const projectId = parseParam(projectIdParam, params.projectId, 'project id');
        const state = await projectState(projectId);
        if (!state) throw notFound(`project ${projectId}`);
        return { body: await projectActions(state, principal, req.header('authorization')!) };
      },
    }),
  ];
}
