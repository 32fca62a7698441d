// What the livelihood service does beyond one Update: where a cycle's workflow is, the states of
// a cycle and its projects (bounded, with clear answers when no worker takes the query), the
// open vote and its count, the actions open to a caller and the to-do lists.
import { z } from 'zod';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { TypedSearchAttributes, type QueryDefinition } from '@temporalio/common';
import { actorOf, HttpError, notFound, sendUpdate, type Principal } from '@duban/platform';
import { type RegistryClient } from '@duban/registry';
import {
  AtRisk,
  DueAt,
  Overdue,
  Stage,
  Unit,
  evaluationOpen,
  openCycleActions,
  openProjectActions,
  type OpenAction,
  cycleIdOf,
  cycleStateQuery,
  projectStateQuery,
  recordTallyUpdate,
  type CycleState,
  type ProjectState,
} from '@duban/workflows';
import { type LivelihoodModels, type VoteDoc } from '../data/models';
import { ballotBodyOf, ballotIdOf, ballotRefusal, countVote, type Count } from './votes';
import {
  CYCLE_ROUTES,
  PROJECT_ROUTES,
  cycleOptions,
  describeAction,
  jsonSchemaOf,
  projectOptions,
  type ActionView,
  type ProjectRouteAction,
} from '../http/actions';

/** How long a page waits for a workflow's state, and each workflow a to-do list asks (ms). */
export const PAGE_QUERY_MS = 10_000;
const LIST_QUERY_MS = 2_000;

/** Temporal's answer when a call ran out of its deadline (a query no worker took). */
const isDeadlineExceeded = (err: unknown) => {
  const e = err as { code?: number; cause?: { code?: number }; message?: string };
  return e?.code === 4 || e?.cause?.code === 4 || /deadline exceeded/i.test(e?.message ?? '');
};

/** How long a ballot may rely on a read of its vote (see openVoteDoc). */
export const VOTE_CACHE_MS = 1000;

export const isStaff = (p: Principal) => p.role === 'staff' || p.role === 'operator';

export interface LivelihoodDeps {
  models: LivelihoodModels;
  temporal: Client;
  taskQueue: string;
  registry: RegistryClient;
  tallyGraceMs: number;
}

export type LivelihoodCases = ReturnType<typeof livelihoodCases>;

export function livelihoodCases(deps: LivelihoodDeps) {
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

  async function ballotsIn(voteId: string): Promise<number> {
    return models.Ballot.countDocuments({ voteId });
  }

  return {
    cycleWorkflowId,
    boundedQuery,
    cycleState,
    projectState,
    projectsOf,
    voteCache,
    openVoteDoc,
    closeAndCount,
    inspectorGroups,
    ratingVoteIdOf,
    ratingRefusal,
    openVoteOrUndefined,
    cycleActions,
    projectActions,
    listCases,
    runningCases,
    eachBounded,
    waiting,
    ballotsIn,
  };
}
