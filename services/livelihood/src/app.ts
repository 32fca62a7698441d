// The livelihood service (民生实事项目票决制): proposals, screening, feasibility, the ballot list and
// the vote of each year's cycle, and every elected project's reports, inspections and ratings.
// It owns the ballots (stored secretly, one per deputy by a unique key, counted here) and keeps
// each jurisdiction's yearly Schedule; the process itself lives in the workflows, which every
// action reaches as an Update (validated there: role, ownership and stage).
import { z } from 'zod';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { TypedSearchAttributes, type QueryDefinition, type UpdateDefinition } from '@temporalio/common';
import {
  ACTION_RESPONSES,
  caseActionRoute,
  actorOf,
  addContext,
  createCaseService,
  forbidden,
  HttpError,
  idempotencyKeyOf,
  isDuplicateKey,
  notFound,
  parseParam,
  route,
  sendUpdate,
  signToken,
  type Logger,
  type Principal,
  type Role,
  type RouteSpec,
  jwtAuth,
  serviceAudience,
  startCaseWorkflow,
} from '@duban/platform';
import { createRegistryClient, type RegistryClient } from '@duban/registry';
import {
  AtRisk,
  CycleYear,
  DueAt,
  Jurisdiction,
  LIVELIHOOD_CYCLE_WORKFLOW,
  Overdue,
  Stage,
  Unit,
  evaluationOpen,
  openCycleActions,
  openProjectActions,
  type OpenAction,
  closeCollectionUpdate,
  cycleIdOf,
  cycleStateQuery,
  mergeCandidatesUpdate,
  openLivelihoodVoteUpdate,
  projectStateQuery,
  proposeUpdate,
  publishBallotListUpdate,
  recordEvaluationUpdate,
  recordInspectionUpdate,
  recordTallyUpdate,
  reportFixUpdate,
  reportProgressUpdate,
  reviewFeasibilityUpdate,
  screenUpdate,
  submitMidYearReportUpdate,
  submitReReportUpdate,
  type Actor,
  type CycleState,
  type ProjectState,
  type livelihoodCycleWorkflow,
} from '@duban/workflows';
import { livelihoodModels, type LivelihoodModels, type VoteDoc } from './models';
import { ensureCycleSchedule } from './schedule';
import { ballotBodyOf, ballotIdOf, ballotRefusal, castBallot, countVote, type Count } from './votes';
import {
  BODIES,
  CYCLE_ROUTES,
  assertRoutesFromTables,
  PROJECT_ROUTES,
  candidateId,
  cycleOptions,
  describeAction,
  jsonSchemaOf,
  lowerId,
  projectOptions,
  type ActionView,
  type CycleRouteAction,
  type ProjectRouteAction,
} from './actions';
import { cycleView, departmentRollUps, projectView, voteView } from './views';
import type { LivelihoodConfig } from './config';

const cycleIdParam = z
  .string()
  .regex(/^livelihood-[a-z0-9-]+-\d{4}$/, 'must look like livelihood-cn-zj-demo-city-2027');
const projectIdParam = z
  .string()
  .regex(/^livelihood-[a-z0-9-]+-\d{4}-p\d{2,}$/, 'must look like livelihood-cn-zj-demo-city-2027-p01');

const listQuery = z
  .object({
    jurisdiction: lowerId.optional(),
    year: z.coerce.number().int().min(2000).max(2999).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
const projectListQuery = z
  .object({
    unit: lowerId.optional(),
    jurisdiction: lowerId.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();
const CYCLE_START_ROLES: readonly Role[] = ['staff', 'operator'];

/** How long a page waits for a workflow's state, and each workflow a to-do list asks (ms). */
const PAGE_QUERY_MS = 10_000;
const LIST_QUERY_MS = 2_000;

/** Temporal's answer when a call ran out of its deadline (a query no worker took). */
const isDeadlineExceeded = (err: unknown) => {
  const e = err as { code?: number; cause?: { code?: number }; message?: string };
  return e?.code === 4 || e?.cause?.code === 4 || /deadline exceeded/i.test(e?.message ?? '');
};

/** How long a ballot may rely on a read of its vote (see openVoteDoc). */
const VOTE_CACHE_MS = 1000;

const ALL: readonly Role[] = ['deputy', 'unit', 'staff', 'citizen', 'operator'];

const isStaff = (p: Principal) => p.role === 'staff' || p.role === 'operator';

export function livelihoodRoutes(deps: {
  models: LivelihoodModels;
  temporal: Client;
  taskQueue: string;
  registry: RegistryClient;
  tallyGraceMs: number;
}) {
  const { models, temporal } = deps;

  /** The workflow id of a cycle: its own id when started by hand, a scheduled run's otherwise. */
  async function cycleWorkflowId(cycleId: string): Promise<string> {
    const ref = await models.CycleRef.findById(cycleId).lean();
    if (ref) return ref.workflowId;
    const m = /^livelihood-([a-z0-9-]+)-(\d{4})$/.exec(cycleId)!;
    const [jurisdiction, year] = [m[1], Number(m[2])];
    let workflowId: string | undefined;
    try {
      await temporal.workflow.getHandle(cycleId).describe();
      workflowId = cycleId;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const query = `CaseKind = 'livelihood_cycle' AND Jurisdiction = '${jurisdiction}' AND CycleYear = ${year}`;
      for await (const wf of temporal.workflow.list({ query })) {
        workflowId = wf.workflowId;
        break;
      }
    }
    if (!workflowId) throw notFound(`cycle ${cycleId}`);
    await models.CycleRef.updateOne(
      { _id: cycleId },
      { $setOnInsert: { workflowId, jurisdiction, year } },
      { upsert: true },
    );
    return workflowId;
  }

  /**
   * A workflow's state query, bounded: a workflow whose task queue has no worker (a closed one,
   * or one left by a stopped deployment) never answers, and a page or a list must not wait on it.
   */
  async function boundedQuery<T>(workflowId: string, query: QueryDefinition<T>, ms: number): Promise<T> {
    const deadline = Date.now() + ms;
    try {
      return await temporal.withDeadline(deadline, () => temporal.workflow.getHandle(workflowId).query(query));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw err;
      // The bound passed: the call ends as DEADLINE_EXCEEDED, or as CANCELLED when the client
      // cancels it first (both seen); either way the workflow did not answer in time.
      // A workflow that ended in its first task (closed before it ran, or before registering its
      // queries) has no state to show: there is no such live case, not a server error.
      const message = err instanceof Error ? `${err.message} ${(err as { cause?: Error }).cause?.message ?? ''}` : '';
      if (/no poller seen/.test(message))
        throw new HttpError(503, 'unavailable', `${workflowId} has no worker now; try again`);
      if (/FAILED_PRECONDITION|did not register a handler/.test(message))
        throw new HttpError(404, 'not_found', `${workflowId} ended before it could answer: it has no state to show`);
      if (isDeadlineExceeded(err) || Date.now() >= deadline - 100)
        throw new HttpError(503, 'unavailable', `${workflowId} did not answer within ${ms / 1000} s; try again`);
      throw err;
    }
  }

  async function cycleState(cycleId: string): Promise<CycleState> {
    const id = await cycleWorkflowId(cycleId);
    try {
      return await boundedQuery(id, cycleStateQuery, PAGE_QUERY_MS);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(`cycle ${cycleId}`);
      throw err;
    }
  }

  async function projectState(projectId: string): Promise<ProjectState | undefined> {
    try {
      return await boundedQuery(projectId, projectStateQuery, PAGE_QUERY_MS);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** The cycle's projects, and those carried over into it from the year before. */
  async function projectsOf(state: CycleState): Promise<ProjectState[]> {
    const ids = state.projects.map((p) => p.projectId);
    const previous = cycleIdOf(state.jurisdiction, state.year - 1);
    const prev = await cycleState(previous).catch(() => undefined);
    for (const p of prev?.projects ?? []) if (p.settled === 'carriedOver') ids.push(p.projectId);
    const states = await Promise.all(ids.map(projectState));
    return states.filter((s): s is ProjectState => !!s);
  }

  /** POST /v1/livelihood/cycles/:cycleId/<path> → an Update of the cycle with the caller as `by`. */
  function cycleAction<B extends z.ZodType, A, R>(spec: {
    action: CycleRouteAction;
    summary: string;
    body: B;
    update: UpdateDefinition<R, [A]>;
    args: (body: z.infer<B>, by: Actor, params: Record<string, string>, principal: Principal) => A;
  }): RouteSpec {
    return caseActionRoute({
      ...spec,
      temporal,
      roles: CYCLE_ROUTES[spec.action].roles,
      path: `/v1/livelihood/cycles/:cycleId/${CYCLE_ROUTES[spec.action].path}`,
      load: async (params, principal) => {
        const cycleId = parseParam(cycleIdParam, params.cycleId, 'cycle id');
        addContext({ caseId: cycleId });
        return { cycleId, workflowId: await cycleWorkflowId(cycleId), params, principal };
      },
      args: (b, by, ctx) => spec.args(b, by, ctx.params, ctx.principal),
      respond: (result, { cycleId }) => ({ cycleId, result }),
    });
  }

  /** POST /v1/livelihood/projects/:projectId/<path> → an Update of the project; answers its progress view. */
  function projectAction<B extends z.ZodType, A>(spec: {
    action: ProjectRouteAction;
    summary: string;
    body: B;
    update: UpdateDefinition<ProjectState, [A]>;
    args: (body: z.infer<B>, by: Actor, params: Record<string, string>) => A;
    check?: (principal: Principal, body: z.infer<B>, authorization: string) => Promise<void>;
  }): RouteSpec {
    const { check } = spec;
    return caseActionRoute({
      ...spec,
      temporal,
      roles: PROJECT_ROUTES[spec.action].roles,
      path: `/v1/livelihood/projects/:projectId/${PROJECT_ROUTES[spec.action].path}`,
      load: async (params) => {
        const projectId = parseParam(projectIdParam, params.projectId, 'project id');
        addContext({ caseId: projectId });
        return { workflowId: projectId };
      },
      check: check && ((_ctx, body, principal, authorization) => check(principal, body, authorization)),
      args: (b, by, _ctx, params) => spec.args(b, by, params),
      respond: (state, _ctx, principal) => projectView(state, isStaff(principal)),
    });
  }

  /**
   * The cycle's current vote. Ballots read it through a cache of VOTE_CACHE_MS (two reads less
   * per ballot); closing drops this process's entry, and the count waits tallyGraceMs (more than
   * the cache's life) so that a ballot another replica took on a stale entry is still counted.
   */
  const voteCache = new Map<string, { vote: VoteDoc; until: number }>();
  async function openVoteDoc(cycleId: string, fresh = false): Promise<VoteDoc> {
    const hit = voteCache.get(cycleId);
    if (!fresh && hit && hit.until > Date.now()) return hit.vote;
    const ref = await models.CycleRef.findById(cycleId).lean();
    const vote = ref?.currentVoteId ? await models.Vote.findById(ref.currentVoteId).lean() : null;
    if (!vote) throw new HttpError(409, 'vote_not_open', `no vote of ${cycleId} has been opened`);
    if (vote.status === 'open') voteCache.set(cycleId, { vote, until: Date.now() + VOTE_CACHE_MS });
    else voteCache.delete(cycleId);
    return vote;
  }

  /** Closes the vote, lets ballots in flight land, counts, and records the count in the cycle. */
  async function closeAndCount(cycleId: string, vote: VoteDoc, principal: Principal): Promise<Count> {
    voteCache.delete(cycleId);
    if (vote.status === 'open') {
      await models.Vote.updateOne({ _id: vote._id }, { $set: { status: 'closed', closedAt: new Date() } });
      await new Promise((r) => setTimeout(r, deps.tallyGraceMs));
    }
    const counted = await countVote(models, vote._id);
    const workflowId = await cycleWorkflowId(cycleId);
    const state = await temporal.workflow.getHandle(workflowId).query(cycleStateQuery);
    const round = state.votes.find((v) => v.voteId === vote._id);
    // Already recorded (a retry): answer with it.
    if (!round?.tally)
      await sendUpdate(
        temporal,
        workflowId,
        recordTallyUpdate,
        { by: actorOf(principal), ...counted },
        principal,
        `tally-${vote._id}`,
      );
    return counted;
  }

  /** The deputy groups a deputy may record inspections for (the registry's). */
  async function inspectorGroups(principal: Principal, authorization: string): Promise<string[]> {
    return (await deps.registry.deputy(principal.sub, authorization))?.groups ?? [];
  }

  /** The stored ratings of a project's open evaluation round are a vote of their own. */
  const ratingVoteIdOf = (state: ProjectState) => `${state.projectId}/eval-${state.evaluations.length + 1}`;

  /** Why this deputy may not rate the project now: no round open, or not a deputy of its congress. */
  async function ratingRefusal(
    state: ProjectState,
    principal: Principal,
    authorization: string,
  ): Promise<HttpError | undefined> {
    if (!evaluationOpen(state))
      return new HttpError(409, 'evaluation_not_open', `${state.projectId} is ${state.stage}; no evaluation is open`);
    const deputy = await deps.registry.deputy(principal.sub, authorization);
    if (deputy?.jurisdiction !== state.jurisdiction)
      return new HttpError(403, 'not_in_electorate', `${principal.sub} is not a deputy of ${state.jurisdiction}`);
    return undefined;
  }

  /** The vote open in a cycle now, if any (no cache: the actions answer must be current). */
  async function openVoteOrUndefined(cycleId: string): Promise<VoteDoc | undefined> {
    const ref = await models.CycleRef.findById(cycleId).lean();
    const vote = ref?.currentVoteId ? await models.Vote.findById(ref.currentVoteId).lean() : null;
    return vote?.status === 'open' ? vote : undefined;
  }

  /**
   * GET …/cycles/:cycleId/actions: what this caller may do in the cycle now. The workflow's own
   * actions by the rules its validators use; the ballot by the checks castBallot makes (vote
   * open, on the roll, no ballot stored yet), with the schema of a ballot in this vote.
   */
  async function cycleActions(cycleId: string, state: CycleState, principal: Principal) {
    const base = `/v1/livelihood/cycles/${cycleId}`;
    const actions: ActionView[] = openCycleActions(state, actorOf(principal))
      .filter((a) => CYCLE_ROUTES[a.action].roles.includes(principal.role))
      .map((a) => describeAction(base, CYCLE_ROUTES, a, { options: cycleOptions(state, a.action) }));
    let ballot: { voteId: string; round: number; closesAt: string; cast: boolean; mayVote: boolean } | null = null;
    if (principal.role === 'deputy' && state.stage === 'voting') {
      const vote = await openVoteOrUndefined(cycleId);
      if (vote) {
        const cast = !!(await models.Ballot.exists({ _id: ballotIdOf(vote._id, principal.sub) }));
        const mayVote = !ballotRefusal(vote, principal.sub);
        ballot = { voteId: vote._id, round: vote.round, closesAt: vote.closesAt.toISOString(), cast, mayVote };
        if (mayVote && !cast)
          actions.push(describeAction(base, CYCLE_ROUTES, { action: 'castBallot' }, { schema: ballotBodyOf(vote) }));
      }
    }
    if (isStaff(principal))
      for (const v of state.votes)
        if (v.tally)
          actions.push({
            action: 'recount',
            title: `复核计票（第 ${v.round} 轮）`,
            method: 'GET',
            path: `${base}/votes/${v.round}/recount`,
            target: String(v.round),
            schema: jsonSchemaOf(z.object({}).strict()),
          });
    return { cycleId, stage: state.stage, actions, ballot };
  }

  /** GET …/projects/:projectId/actions: the workflow's actions by its rules, and the deputy's secret rating. */
  async function projectActions(state: ProjectState, principal: Principal, authorization: string) {
    const base = `/v1/livelihood/projects/${state.projectId}`;
    const open: OpenAction<ProjectRouteAction>[] = openProjectActions(state, actorOf(principal));
    const actions: ActionView[] = [];
    for (const a of open) {
      if (!PROJECT_ROUTES[a.action].roles.includes(principal.role)) continue;
      let options = projectOptions(state, a.action);
      if (a.action === 'inspection' && principal.role === 'deputy') {
        const groups = await inspectorGroups(principal, authorization);
        if (groups.length === 0) continue;
        options = { group: groups };
      }
      actions.push(describeAction(base, PROJECT_ROUTES, a, { options }));
    }
    let rating: { round: number; rated: boolean } | null = null;
    if (
      principal.role === 'deputy' &&
      evaluationOpen(state) &&
      !(await ratingRefusal(state, principal, authorization))
    ) {
      const rated = !!(await models.Ballot.exists({ _id: ballotIdOf(ratingVoteIdOf(state), principal.sub) }));
      rating = { round: state.evaluations.length + 1, rated };
      if (!rated) actions.push(describeAction(base, PROJECT_ROUTES, { action: 'evaluationBallot' }));
    }
    if (isStaff(principal) && PROJECT_ROUTES.countEvaluation.roles.includes(principal.role) && evaluationOpen(state))
      actions.push(describeAction(base, PROJECT_ROUTES, { action: 'countEvaluation' }));
    return { projectId: state.projectId, stage: state.stage, actions, rating };
  }

  /** Workflows of a kind from Temporal's visibility (the search attributes every case sets). */
  async function listCases(query: string, limit: number) {
    const out = [];
    for await (const wf of temporal.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
      out.push(wf);
      if (out.length >= limit * 4) break;
    }
    return out;
  }

  /** The running workflows of a kind on this service's task queue (visibility; no worker asked). */
  async function runningCases(where: string, limit: number) {
    const queue = deps.taskQueue.replace(/'/g, '');
    return listCases(`${where} AND ExecutionStatus = 'Running' AND TaskQueue = '${queue}'`, limit);
  }

  /** Runs fn over items, `width` at a time (each bounded by its own query deadline). */
  async function eachBounded<T, R>(items: T[], fn: (item: T) => Promise<R | undefined>): Promise<R[]> {
    const next = [...items];
    const out: R[] = [];
    const work = async () => {
      for (let it = next.shift(); it !== undefined; it = next.shift()) {
        const r = await fn(it);
        if (r !== undefined) out.push(r);
      }
    };
    await Promise.all([work(), work(), work(), work()]);
    return out;
  }

  /**
   * GET /v1/livelihood/waiting: the caller's to-do of this kind. Only running workflows on this
   * service's task queue are listed, and each asked for its state gets LIST_QUERY_MS: one that
   * does not answer is left out and counted in `unanswered`, never holds up the list.
   */
  async function waiting(principal: Principal, authorization: string, limit: number) {
    let unanswered = 0;
    const state = async <T>(workflowId: string, query: QueryDefinition<T>) => {
      try {
        return await boundedQuery(workflowId, query, LIST_QUERY_MS);
      } catch {
        unanswered++;
        return undefined;
      }
    };
    const attrs = (wf: { typedSearchAttributes: TypedSearchAttributes }) => {
      const sa = wf.typedSearchAttributes;
      return { stage: sa.get(Stage) ?? null, dueAt: sa.get(DueAt)?.toISOString() ?? null };
    };

    // Cycles: those on which the caller has an action open now (a deputy: the ballot).
    const cycleRows = await runningCases(`CaseKind = 'livelihood_cycle'`, limit);
    const cycles = await eachBounded(cycleRows.slice(0, limit), async (wf) => {
      const { stage, dueAt } = attrs(wf);
      if (stage === 'implementation' || stage === 'closed') return undefined;
      const s = await state(wf.workflowId, cycleStateQuery);
      if (!s) return undefined;
      const cycleId = cycleIdOf(s.jurisdiction, s.year);
      const open = await cycleActions(cycleId, s, principal);
      const actions = open.actions.filter((a) => a.action !== 'propose' && a.action !== 'recount');
      if (actions.length === 0 && !open.ballot) return undefined;
      return {
        cycleId,
        title: `${s.year} 年民生实事项目票决`,
        stage: s.stage,
        dueAt: open.ballot?.closesAt ?? dueAt,
        actions,
        ballot: open.ballot,
      };
    });

    // Projects: a handler's own from visibility (their report dates); the evaluation round's
    // ratings (deputies) and its count (staff) by asking the projects in evaluation.
    const projects: Record<string, unknown>[] = [];
    const row = (wf: (typeof cycleRows)[number]) => {
      const sa = wf.typedSearchAttributes;
      const memo = (wf.memo ?? {}) as { title?: string; cycleId?: string };
      return {
        projectId: wf.workflowId,
        cycleId: memo.cycleId ?? null,
        title: memo.title ?? wf.workflowId,
        leadUnit: sa.get(Unit) ?? null,
        ...attrs(wf),
        overdue: sa.get(Overdue) ?? false,
        atRisk: sa.get(AtRisk) ?? false,
      };
    };
    if (principal.role === 'unit' && principal.unit) {
      const unit = principal.unit.replace(/'/g, '');
      for (const wf of await runningCases(`CaseKind = 'livelihood_project' AND Unit = '${unit}'`, limit))
        projects.push({ ...row(wf), actions: [] });
    }
    if (principal.role === 'deputy' || isStaff(principal)) {
      const rows = await runningCases(`CaseKind = 'livelihood_project' AND Stage = 'evaluation'`, limit);
      projects.push(
        ...(await eachBounded(rows.slice(0, limit), async (wf) => {
          const s = await state(wf.workflowId, projectStateQuery);
          if (!s) return undefined;
          const open = await projectActions(s, principal, authorization);
          const actions = open.actions.filter((a) => ['evaluationBallot', 'countEvaluation'].includes(a.action));
          if (actions.length === 0) return undefined;
          return { ...row(wf), actions, rating: open.rating };
        })),
      );
    }
    return { cycles, projects, unanswered };
  }

  const routes: RouteSpec[] = [
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
    route({
      method: 'post',
      path: '/v1/livelihood/cycles',
      summary:
        "Staff start a year's cycle now (the Schedule starts it on the policy's date otherwise); starting it again returns the same cycle",
      roles: CYCLE_START_ROLES,
      body: BODIES.start,
      responses: { 201: 'Started', 200: 'Already running or run', 422: 'Unknown jurisdiction' },
      handler: async ({ req, body }) => {
        const cycleId = cycleIdOf(body.jurisdiction, body.year);
        addContext({ caseId: cycleId, workflowId: cycleId });
        const existing = await models.CycleRef.findById(cycleId).lean();
        if (existing) return { status: 200, body: { cycleId, workflowId: existing.workflowId, created: false } };
        const policy = await deps.registry.effectivePolicy(body.jurisdiction, req.header('authorization')!);
        const created = await startCaseWorkflow<typeof livelihoodCycleWorkflow>(temporal, {
          workflowType: LIVELIHOOD_CYCLE_WORKFLOW,
          workflowId: cycleId,
          taskQueue: deps.taskQueue,
          args: [{ jurisdiction: body.jurisdiction, year: body.year, policy }],
          kind: 'livelihood_cycle',
          jurisdiction: body.jurisdiction,
          cycleYear: body.year,
          whenRunning: 'fail',
          ui: { title: `${body.year} 年民生实事项目票决`, policy, facts: { 年度: body.year } },
        });
        await models.CycleRef.updateOne(
          { _id: cycleId },
          { $setOnInsert: { workflowId: cycleId, jurisdiction: body.jurisdiction, year: body.year } },
          { upsert: true },
        );
        return {
          status: created ? 201 : 200,
          headers: { location: `/v1/livelihood/cycles/${cycleId}` },
          body: { cycleId, workflowId: cycleId, created },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/livelihood/cycles/:cycleId',
      summary:
        "A year's cycle: its stage and dates, the candidates, the ballot list, the votes' public results, the projects",
      roles: ALL,
      handler: async ({ principal, params }) => {
        const cycleId = parseParam(cycleIdParam, params.cycleId, 'cycle id');
        const state = await cycleState(cycleId);
        return { body: cycleView(state, isStaff(principal)) };
      },
    }),
    route({
      method: 'get',
      path: '/v1/livelihood/cycles/:cycleId/projects',
      summary: "The cycle's projects (and those carried over into it) with their progress",
      roles: ALL,
      handler: async ({ principal, params }) => {
        const cycleId = parseParam(cycleIdParam, params.cycleId, 'cycle id');
        const projects = await projectsOf(await cycleState(cycleId));
        return { body: { cycleId, items: projects.map((p) => projectView(p, isStaff(principal))) } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/livelihood/cycles/:cycleId/departments',
      summary:
        "Per-department roll-up of the cycle's projects: count, budget, spending, average progress, overdue, at risk, ratings",
      roles: ALL,
      handler: async ({ params }) => {
        const cycleId = parseParam(cycleIdParam, params.cycleId, 'cycle id');
        const projects = await projectsOf(await cycleState(cycleId));
        return { body: { cycleId, items: departmentRollUps(projects) } };
      },
    }),

    cycleAction({
      action: 'propose',
      summary:
        'Propose a candidate project (征集): a citizen, a deputy, a department (unit), or staff for a liaison station (stationId)',
      body: BODIES.propose,
      update: proposeUpdate,
      args: (b, by, _p, principal) => {
        let proposer: { kind: 'citizen' | 'deputy' | 'station' | 'unit'; id: string };
        if (principal.role === 'staff') {
          if (!b.stationId)
            throw new HttpError(400, 'bad_request', 'staff propose for a liaison station: name stationId');
          proposer = { kind: 'station', id: b.stationId };
        } else if (b.stationId) {
          throw new HttpError(400, 'bad_request', 'stationId is for staff proposing for a liaison station');
        } else if (principal.role === 'unit') proposer = { kind: 'unit', id: principal.unit! };
        else proposer = { kind: principal.role as 'citizen' | 'deputy', id: principal.sub };
        return { by, proposer, title: b.title, category: b.category };
      },
    }),
    cycleAction({
      action: 'merge',
      summary: 'Staff merge duplicates (合并) into one candidate, which keeps every proposer',
      body: BODIES.merge,
      update: mergeCandidatesUpdate,
      args: (b, by) => ({ by, into: b.into, merge: b.merge, reason: b.reason }),
    }),
    cycleAction({
      action: 'screen',
      summary: 'Staff screen a candidate (初审): accept, or reject with a reason the proposers are told',
      body: BODIES.screen,
      update: screenUpdate,
      args: (b, by, p) => ({
        by,
        candidateId: parseParam(candidateId, p.candidateId, 'candidate id'),
        decision: b.decision,
        ...(b.reason ? { reason: b.reason } : {}),
      }),
    }),
    cycleAction({
      action: 'closeCollection',
      summary: "Staff close the collection before the policy's date",
      body: BODIES.closeCollection,
      update: closeCollectionUpdate,
      args: (_b, by) => ({ by }),
    }),
    cycleAction({
      action: 'feasibility',
      summary:
        "The government's feasibility and cost review (可行性论证): cost estimate, implementing departments, milestones",
      body: BODIES.feasibility,
      update: reviewFeasibilityUpdate,
      args: (b, by, p) => ({ by, candidateId: parseParam(candidateId, p.candidateId, 'candidate id'), ...b }),
    }),
    cycleAction({
      action: 'ballotList',
      summary:
        'Staff publish the ballot list (差额): as many feasible candidates as the policy says, more than the seats',
      body: BODIES.ballotList,
      update: publishBallotListUpdate,
      args: (b, by) => ({ by, candidateIds: b.candidateIds }),
    }),

    route({
      method: 'post',
      path: `/v1/livelihood/cycles/:cycleId/${CYCLE_ROUTES.openVote.path}`,
      summary:
        "Staff open the vote (票决) at the session: the roll is the jurisdiction's deputies in the registry; `present` as counted in the hall",
      roles: CYCLE_ROUTES.openVote.roles,
      body: BODIES.openVote,
      responses: { ...ACTION_RESPONSES, 201: 'The vote is open' },
      handler: async ({ req, principal, params, body }) => {
        const cycleId = parseParam(cycleIdParam, params.cycleId, 'cycle id');
        addContext({ caseId: cycleId });
        const workflowId = await cycleWorkflowId(cycleId);
        const before = await temporal.workflow.getHandle(workflowId).query(cycleStateQuery);
        const roll = (await deps.registry.deputies(before.jurisdiction, req.header('authorization')!)).map((d) => d.id);
        if (roll.length === 0)
          throw new HttpError(409, 'no_electorate', `no deputies of ${before.jurisdiction} are in the registry`);
        if (body.present > roll.length)
          throw new HttpError(
            400,
            'bad_request',
            `present must be at most the ${roll.length} deputies on the roll; it is ${body.present}`,
          );
        const round = await sendUpdate(
          temporal,
          workflowId,
          openLivelihoodVoteUpdate,
          { by: actorOf(principal), electorate: roll.length, present: body.present },
          principal,
          idempotencyKeyOf(req.header('idempotency-key')),
        );
        // Stored after the cycle took it, so a ballot is never taken for a vote the cycle did not open.
        await models.Vote.updateOne(
          { _id: round.voteId },
          {
            $setOnInsert: {
              cycleId,
              round: round.round,
              candidates: round.candidates,
              seats: round.seats,
              electorate: roll,
              present: body.present,
              status: 'open',
              openedAt: new Date(round.openedAt!),
              closesAt: new Date(round.closesAt!),
            },
          },
          { upsert: true },
        );
        await models.CycleRef.updateOne({ _id: cycleId }, { $set: { currentVoteId: round.voteId } });
        return { status: 201, body: { cycleId, vote: { ...round, electorate: roll.length } } };
      },
    }),
    route({
      method: 'post',
      path: `/v1/livelihood/cycles/:cycleId/${CYCLE_ROUTES.castBallot.path}`,
      summary:
        'A deputy of this congress casts their one secret ballot in the open vote: at most `seats` candidates from its list',
      roles: CYCLE_ROUTES.castBallot.roles,
      body: BODIES.castBallot,
      responses: {
        201: 'Cast',
        400: 'More choices than seats, a candidate not on the list, or a repeated choice',
        403: 'Not a deputy of this congress',
        409: 'The vote is closed or not open, or this deputy has voted already',
      },
      handler: async ({ principal, params, body }) => {
        const cycleId = parseParam(cycleIdParam, params.cycleId, 'cycle id');
        // Every refusal of a ballot names its field, `choices` (see votes.ts).
        const vote = await openVoteDoc(cycleId).catch((err) => {
          if (err instanceof HttpError && !err.details?.length)
            throw new HttpError(err.status, err.code, err.message, [{ path: 'choices', message: err.message }]);
          throw err;
        });
        await castBallot(models, vote, principal.sub, body.choices);
        // The receipt says that it was counted in, never what was chosen.
        return { status: 201, body: { cycleId, voteId: vote._id, cast: true } };
      },
    }),
    route({
      method: 'post',
      path: `/v1/livelihood/cycles/:cycleId/${CYCLE_ROUTES.closeVote.path}`,
      summary:
        'Staff close the open vote: the stored ballots are counted and the cycle applies the quorum, majority and tie rules',
      roles: CYCLE_ROUTES.closeVote.roles,
      body: BODIES.closeVote,
      responses: { 200: 'Counted; the public result', 409: 'No vote open' },
      handler: async ({ principal, params }) => {
        const cycleId = parseParam(cycleIdParam, params.cycleId, 'cycle id');
        addContext({ caseId: cycleId });
        const vote = await openVoteDoc(cycleId, true);
        await closeAndCount(cycleId, vote, principal);
        const state = await cycleState(cycleId);
        return {
          body: voteView(state, vote.round, await models.Vote.findById(vote._id).lean(), await ballotsIn(vote._id)),
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/livelihood/cycles/:cycleId/votes/:round',
      summary:
        'A vote: while open, the turnout; once counted, the votes per candidate and who was elected — never who chose what',
      roles: ALL,
      handler: async ({ params }) => {
        const cycleId = parseParam(cycleIdParam, params.cycleId, 'cycle id');
        const round = parseParam(z.coerce.number().int().min(1).max(10), params.round, 'round');
        const state = await cycleState(cycleId);
        const v = state.votes.find((x) => x.round === round);
        if (!v) throw notFound(`vote round ${round} of ${cycleId}`);
        const doc = await models.Vote.findById(v.voteId).lean();
        return { body: voteView(state, round, doc, await ballotsIn(v.voteId)) };
      },
    }),
    route({
      method: 'get',
      path: '/v1/livelihood/cycles/:cycleId/votes/:round/recount',
      summary: 'Staff recount a vote from its stored ballots and compare it with the recorded result',
      roles: ['staff', 'operator'],
      handler: async ({ params }) => {
        const cycleId = parseParam(cycleIdParam, params.cycleId, 'cycle id');
        const round = parseParam(z.coerce.number().int().min(1).max(10), params.round, 'round');
        const state = await cycleState(cycleId);
        const v = state.votes.find((x) => x.round === round);
        if (!v?.tally)
          throw new HttpError(409, 'not_counted', `vote round ${round} of ${cycleId} has not been counted`);
        const recount = await countVote(models, v.voteId);
        const matches =
          recount.ballotsCast === v.tally.ballotsCast &&
          recount.ballotsDigest === v.tally.ballotsDigest &&
          v.candidates.every((c) => (recount.counts[c] ?? 0) === (v.tally!.counts[c] ?? 0));
        return { body: { cycleId, round, voteId: v.voteId, matches, recorded: v.tally, recount } };
      },
    }),

    route({
      method: 'get',
      path: '/v1/livelihood/projects/:projectId',
      summary:
        "A project's progress (public): percent, milestones, spending, latest report, inspection findings, ratings",
      roles: ALL,
      handler: async ({ principal, params }) => {
        const projectId = parseParam(projectIdParam, params.projectId, 'project id');
        const state = await projectState(projectId);
        if (!state) throw notFound(`project ${projectId}`);
        return { body: projectView(state, isStaff(principal)) };
      },
    }),
    projectAction({
      action: 'progress',
      summary: 'The lead department reports progress (进度报告): percent, spending, milestones reached',
      body: BODIES.progress,
      update: reportProgressUpdate,
      args: (b, by) => ({ by, ...b }),
    }),
    projectAction({
      action: 'inspection',
      summary:
        'A deputy of the inspecting group (or staff) records an inspection (视察) and its findings; a finding may demand a fix by a date',
      body: BODIES.inspection,
      update: recordInspectionUpdate,
      args: (b, by) => ({
        by,
        group: b.group,
        findings: b.findings.map((f) => ({
          ...f,
          ...(f.fixDueAt ? { fixDueAt: new Date(f.fixDueAt).toISOString() } : {}),
        })),
      }),
      check: async (principal, body, authorization) => {
        if (principal.role !== 'deputy') return;
        if (!(await inspectorGroups(principal, authorization)).includes(body.group))
          throw forbidden(`${principal.sub} is not a member of deputy group ${body.group}`);
      },
    }),
    projectAction({
      action: 'reportFix',
      summary: 'The lead department reports a finding fixed (整改)',
      body: BODIES.reportFix,
      update: reportFixUpdate,
      args: (b, by, p) => ({
        by,
        findingId: parseParam(z.string().regex(/^i\d+-f\d+$/), p.findingId, 'finding id'),
        note: b.note,
      }),
    }),
    projectAction({
      action: 'midYearReport',
      summary: 'The lead department submits the mid-year report (年中报告)',
      body: BODIES.midYearReport,
      update: submitMidYearReportUpdate,
      args: (b, by) => ({ by, summary: b.summary }),
    }),
    projectAction({
      action: 'evaluation',
      summary: "Staff record the deputies' satisfaction evaluation (满意度测评) counted at the session",
      body: BODIES.evaluation,
      update: recordEvaluationUpdate,
      args: (b, by) => ({ by, ...b }),
    }),
    route({
      method: 'post',
      path: `/v1/livelihood/projects/:projectId/${PROJECT_ROUTES.evaluationBallot.path}`,
      summary:
        "A deputy of the project's congress rates it in the open year-end evaluation (满意度测评), once per round; the rating is secret",
      roles: PROJECT_ROUTES.evaluationBallot.roles,
      body: BODIES.evaluationBallot,
      responses: {
        201: 'Counted in',
        403: 'Not a deputy of this congress',
        409: 'No evaluation open, or this deputy has rated this round already',
      },
      handler: async ({ req, principal, params, body }) => {
        const projectId = parseParam(projectIdParam, params.projectId, 'project id');
        const state = await projectState(projectId);
        if (!state) throw notFound(`project ${projectId}`);
        const refusal = await ratingRefusal(state, principal, req.header('authorization')!);
        if (refusal) throw refusal;
        const voteId = ratingVoteIdOf(state);
        try {
          await models.Ballot.create({
            _id: ballotIdOf(voteId, principal.sub),
            voteId,
            choices: [body.rating],
            castAt: new Date(),
          });
        } catch (err) {
          if (isDuplicateKey(err))
            throw new HttpError(409, 'already_rated', `${principal.sub} has already rated ${projectId} in this round`);
          throw err;
        }
        return { status: 201, body: { projectId, round: state.evaluations.length + 1, counted: true } };
      },
    }),
    route({
      method: 'post',
      path: `/v1/livelihood/projects/:projectId/${PROJECT_ROUTES.countEvaluation.path}`,
      summary: "Staff count the deputies' stored ratings of the open evaluation round and record the result",
      roles: PROJECT_ROUTES.countEvaluation.roles,
      body: BODIES.countEvaluation,
      responses: ACTION_RESPONSES,
      handler: async ({ principal, params }) => {
        const projectId = parseParam(projectIdParam, params.projectId, 'project id');
        const state = await projectState(projectId);
        if (!state) throw notFound(`project ${projectId}`);
        const { counts } = await countVote(models, ratingVoteIdOf(state));
        const rated = await sendUpdate(
          temporal,
          projectId,
          recordEvaluationUpdate,
          {
            by: actorOf(principal),
            satisfied: counts.satisfied ?? 0,
            basicallySatisfied: counts.basicallySatisfied ?? 0,
            unsatisfied: counts.unsatisfied ?? 0,
          },
          principal,
          undefined,
        );
        return { body: projectView(rated, true) };
      },
    }),
    projectAction({
      action: 'reReport',
      summary: 'The lead department re-reports (再报告) after an unsatisfactory rating',
      body: BODIES.reReport,
      update: submitReReportUpdate,
      args: (b, by) => ({ by, summary: b.summary }),
    }),
  ];
  // The actions endpoints describe each action by these tables; every one must be a route here.
  assertRoutesFromTables(routes);
  return routes;

  async function ballotsIn(voteId: string): Promise<number> {
    return models.Ballot.countDocuments({ voteId });
  }
}

export function createLivelihoodApp(cfg: LivelihoodConfig, logger: Logger) {
  const registry = createRegistryClient(cfg.REGISTRY_URL);
  return createCaseService({
    name: 'livelihood',
    cfg,
    logger,
    models: livelihoodModels,
    routes: ({ models, temporal }) =>
      livelihoodRoutes({
        models,
        temporal,
        taskQueue: cfg.TEMPORAL_TASK_QUEUE,
        registry,
        tallyGraceMs: cfg.LIVELIHOOD_TALLY_GRACE_MS,
      }),
    // Keep each jurisdiction's yearly Schedule (in the background: the registry may start later).
    afterStart: async ({ temporal }) => {
      let stopped = false;
      let retry: NodeJS.Timeout | undefined;
      const pending = new Set(cfg.LIVELIHOOD_JURISDICTIONS);
      const ensure = async () => {
        const authorization = `Bearer ${await signToken(
          { role: 'operator', sub: 'livelihood-service' },
          { ...jwtAuth(cfg), aud: serviceAudience('registry'), ttl: '5m' },
        )}`;
        for (const jurisdiction of [...pending]) {
          try {
            const policy = await registry.effectivePolicy(jurisdiction, authorization);
            const outcome = await ensureCycleSchedule(temporal, { policy, taskQueue: cfg.TEMPORAL_TASK_QUEUE });
            pending.delete(jurisdiction);
            logger.info({ jurisdiction, outcome }, 'livelihood cycle schedule in place');
          } catch (err) {
            logger.warn(
              { jurisdiction, err: (err as Error).message },
              'livelihood cycle schedule not in place yet; retrying',
            );
          }
        }
        if (pending.size > 0 && !stopped) retry = setTimeout(() => void ensure(), 5000);
      };
      await ensure();
      return () => {
        stopped = true;
        if (retry) clearTimeout(retry);
      };
    },
  });
}
