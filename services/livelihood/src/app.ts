// The livelihood service (民生实事项目票决制): proposals, screening, feasibility, the ballot list and
// the vote of each year's cycle, and every elected project's reports, inspections and ratings.
// It owns the ballots (stored secretly, one per deputy by a unique key, counted here) and keeps
// each jurisdiction's yearly Schedule; the process itself lives in the workflows, which every
// action reaches as an Update (validated there: role, ownership and stage).
import { z } from 'zod';
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { TypedSearchAttributes, type UpdateDefinition } from '@temporalio/common';
import { RATINGS } from '@duban/domain';
import {
  ACTION_RESPONSES,
  caseActionRoute,
  actorOf,
  addContext,
  createCaseService,
  createRegistryClient,
  forbidden,
  HttpError,
  idempotencyKeyOf,
  caseMetadata,
  isDuplicateKey,
  notFound,
  parseParam,
  route,
  sendUpdate,
  signToken,
  type Logger,
  type Principal,
  type RegistryClient,
  type Role,
  type RouteSpec,
} from '@duban/platform';
import {
  CaseKind,
  CycleYear,
  Jurisdiction,
  LIVELIHOOD_CYCLE_WORKFLOW,
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
import { castBallot, countVote, type Count } from './votes';
import { cycleView, departmentRollUps, projectView, voteView } from './views';
import type { LivelihoodConfig } from './config';

const lowerId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id');
const cycleIdParam = z
  .string()
  .regex(/^livelihood-[a-z0-9-]+-\d{4}$/, 'must look like livelihood-cn-zj-demo-city-2027');
const projectIdParam = z
  .string()
  .regex(/^livelihood-[a-z0-9-]+-\d{4}-p\d{2,}$/, 'must look like livelihood-cn-zj-demo-city-2027-p01');
const candidateId = z.string().regex(/^c\d{4,}$/, 'must be a candidate id like c0001');
const text = (min = 2, max = 4000) =>
  z.string().trim().min(min, `must be at least ${min} characters`).max(max, `must be at most ${max} characters`);
const count = z.number().int().min(0).max(1_000_000);
const yuan = z.number().min(0).max(1e13);

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

  async function cycleState(cycleId: string): Promise<CycleState> {
    const id = await cycleWorkflowId(cycleId);
    try {
      return await temporal.workflow.getHandle(id).query(cycleStateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(`cycle ${cycleId}`);
      throw err;
    }
  }

  async function projectState(projectId: string): Promise<ProjectState | undefined> {
    try {
      return await temporal.workflow.getHandle(projectId).query(projectStateQuery);
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
    path: string;
    summary: string;
    roles: readonly Role[];
    body: B;
    update: UpdateDefinition<R, [A]>;
    args: (body: z.infer<B>, by: Actor, params: Record<string, string>, principal: Principal) => A;
  }): RouteSpec {
    return caseActionRoute({
      ...spec,
      temporal,
      path: `/v1/livelihood/cycles/:cycleId/${spec.path}`,
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
    path: string;
    summary: string;
    roles: readonly Role[];
    body: B;
    update: UpdateDefinition<ProjectState, [A]>;
    args: (body: z.infer<B>, by: Actor, params: Record<string, string>) => A;
    check?: (principal: Principal, body: z.infer<B>, authorization: string) => Promise<void>;
  }): RouteSpec {
    const { check } = spec;
    return caseActionRoute({
      ...spec,
      temporal,
      path: `/v1/livelihood/projects/:projectId/${spec.path}`,
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

  return [
    route({
      method: 'post',
      path: '/v1/livelihood/cycles',
      summary:
        "Staff start a year's cycle now (the Schedule starts it on the policy's date otherwise); starting it again returns the same cycle",
      roles: ['staff', 'operator'],
      body: z.object({ jurisdiction: lowerId, year: z.number().int().min(2000).max(2999) }).strict(),
      responses: { 201: 'Started', 200: 'Already running or run', 422: 'Unknown jurisdiction' },
      handler: async ({ req, body }) => {
        const cycleId = cycleIdOf(body.jurisdiction, body.year);
        addContext({ caseId: cycleId, workflowId: cycleId });
        const existing = await models.CycleRef.findById(cycleId).lean();
        if (existing) return { status: 200, body: { cycleId, workflowId: existing.workflowId, created: false } };
        const policy = await deps.registry.effectivePolicy(body.jurisdiction, req.header('authorization')!);
        let created = true;
        try {
          await temporal.workflow.start<typeof livelihoodCycleWorkflow>(LIVELIHOOD_CYCLE_WORKFLOW, {
            workflowId: cycleId,
            taskQueue: deps.taskQueue,
            args: [{ jurisdiction: body.jurisdiction, year: body.year, policy }],
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            ...caseMetadata({
              caseId: cycleId,
              kind: 'livelihood_cycle',
              title: `${body.year} 年民生实事项目票决`,
              jurisdiction: body.jurisdiction,
              policy,
              facts: { 年度: body.year },
            }),
            typedSearchAttributes: new TypedSearchAttributes([
              { key: CaseKind, value: 'livelihood_cycle' },
              { key: Jurisdiction, value: body.jurisdiction },
              { key: CycleYear, value: body.year },
            ]),
          });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          created = false;
        }
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
      path: 'candidates',
      summary:
        'Propose a candidate project (征集): a citizen, a deputy, a department (unit), or staff for a liaison station (stationId)',
      roles: ['citizen', 'deputy', 'unit', 'staff'],
      body: z.object({ title: text(4, 200), category: lowerId, stationId: lowerId.optional() }).strict(),
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
      path: 'candidates/merge',
      summary: 'Staff merge duplicates (合并) into one candidate, which keeps every proposer',
      roles: ['staff'],
      body: z.object({ into: candidateId, merge: z.array(candidateId).min(1).max(100), reason: text(2) }).strict(),
      update: mergeCandidatesUpdate,
      args: (b, by) => ({ by, into: b.into, merge: b.merge, reason: b.reason }),
    }),
    cycleAction({
      path: 'candidates/:candidateId/screening',
      summary: 'Staff screen a candidate (初审): accept, or reject with a reason the proposers are told',
      roles: ['staff'],
      body: z
        .object({ decision: z.enum(['accept', 'reject']), reason: text(2).optional() })
        .strict()
        .refine((b) => b.decision === 'accept' || !!b.reason, {
          message: 'a rejection needs a reason',
          path: ['reason'],
        }),
      update: screenUpdate,
      args: (b, by, p) => ({
        by,
        candidateId: parseParam(candidateId, p.candidateId, 'candidate id'),
        decision: b.decision,
        ...(b.reason ? { reason: b.reason } : {}),
      }),
    }),
    cycleAction({
      path: 'collection/close',
      summary: "Staff close the collection before the policy's date",
      roles: ['staff'],
      body: z.object({}).strict(),
      update: closeCollectionUpdate,
      args: (_b, by) => ({ by }),
    }),
    cycleAction({
      path: 'candidates/:candidateId/feasibility',
      summary:
        "The government's feasibility and cost review (可行性论证): cost estimate, implementing departments, milestones",
      roles: ['unit'],
      body: z
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
      update: reviewFeasibilityUpdate,
      args: (b, by, p) => ({ by, candidateId: parseParam(candidateId, p.candidateId, 'candidate id'), ...b }),
    }),
    cycleAction({
      path: 'ballot-list',
      summary:
        'Staff publish the ballot list (差额): as many feasible candidates as the policy says, more than the seats',
      roles: ['staff'],
      body: z.object({ candidateIds: z.array(candidateId).min(2).max(200) }).strict(),
      update: publishBallotListUpdate,
      args: (b, by) => ({ by, candidateIds: b.candidateIds }),
    }),

    route({
      method: 'post',
      path: '/v1/livelihood/cycles/:cycleId/votes',
      summary:
        "Staff open the vote (票决) at the session: the roll is the jurisdiction's deputies in the registry; `present` as counted in the hall",
      roles: ['staff'],
      body: z.object({ present: count }).strict(),
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
            `present (${body.present}) exceeds the ${roll.length} deputies on the roll`,
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
      path: '/v1/livelihood/cycles/:cycleId/ballots',
      summary:
        'A deputy of this congress casts their one secret ballot in the open vote: at most `seats` candidates from its list',
      roles: ['deputy'],
      body: z.object({ choices: z.array(candidateId).max(200) }).strict(),
      responses: {
        201: 'Cast',
        400: 'More choices than seats, a candidate not on the list, or a repeated choice',
        403: 'Not a deputy of this congress',
        409: 'The vote is closed or not open, or this deputy has voted already',
      },
      handler: async ({ principal, params, body }) => {
        const cycleId = parseParam(cycleIdParam, params.cycleId, 'cycle id');
        const vote = await openVoteDoc(cycleId);
        await castBallot(models, vote, principal.sub, body.choices);
        // The receipt says that it was counted in, never what was chosen.
        return { status: 201, body: { cycleId, voteId: vote._id, cast: true } };
      },
    }),
    route({
      method: 'post',
      path: '/v1/livelihood/cycles/:cycleId/votes/current/close',
      summary:
        'Staff close the open vote: the stored ballots are counted and the cycle applies the quorum, majority and tie rules',
      roles: ['staff'],
      body: z.object({}).strict(),
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
      path: 'progress',
      summary: 'The lead department reports progress (进度报告): percent, spending, milestones reached',
      roles: ['unit'],
      body: z
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
      update: reportProgressUpdate,
      args: (b, by) => ({ by, ...b }),
    }),
    projectAction({
      path: 'inspections',
      summary:
        'A deputy of the inspecting group (or staff) records an inspection (视察) and its findings; a finding may demand a fix by a date',
      roles: ['deputy', 'staff'],
      body: z
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
        const d = await deps.registry.deputy(principal.sub, authorization);
        if (!d?.groups.includes(body.group))
          throw forbidden(`${principal.sub} is not a member of deputy group ${body.group}`);
      },
    }),
    projectAction({
      path: 'findings/:findingId/fix',
      summary: 'The lead department reports a finding fixed (整改)',
      roles: ['unit'],
      body: z.object({ note: text(2) }).strict(),
      update: reportFixUpdate,
      args: (b, by, p) => ({
        by,
        findingId: parseParam(z.string().regex(/^i\d+-f\d+$/), p.findingId, 'finding id'),
        note: b.note,
      }),
    }),
    projectAction({
      path: 'mid-year-report',
      summary: 'The lead department submits the mid-year report (年中报告)',
      roles: ['unit'],
      body: z.object({ summary: text(2, 20000) }).strict(),
      update: submitMidYearReportUpdate,
      args: (b, by) => ({ by, summary: b.summary }),
    }),
    projectAction({
      path: 'evaluation',
      summary: "Staff record the deputies' satisfaction evaluation (满意度测评) counted at the session",
      roles: ['staff'],
      body: z.object({ satisfied: count, basicallySatisfied: count, unsatisfied: count }).strict(),
      update: recordEvaluationUpdate,
      args: (b, by) => ({ by, ...b }),
    }),
    route({
      method: 'post',
      path: '/v1/livelihood/projects/:projectId/evaluation-ballots',
      summary:
        "A deputy of the project's congress rates it in the open year-end evaluation (满意度测评), once per round; the rating is secret",
      roles: ['deputy'],
      body: z.object({ rating: z.enum(RATINGS) }).strict(),
      responses: {
        201: 'Counted in',
        403: 'Not a deputy of this congress',
        409: 'No evaluation open, or this deputy has rated this round already',
      },
      handler: async ({ req, principal, params, body }) => {
        const projectId = parseParam(projectIdParam, params.projectId, 'project id');
        const state = await projectState(projectId);
        if (!state) throw notFound(`project ${projectId}`);
        if (state.stage !== 'evaluation')
          throw new HttpError(409, 'evaluation_not_open', `${projectId} is ${state.stage}; no evaluation is open`);
        const deputy = await deps.registry.deputy(principal.sub, req.header('authorization')!);
        if (deputy?.jurisdiction !== state.jurisdiction)
          throw new HttpError(403, 'not_in_electorate', `${principal.sub} is not a deputy of ${state.jurisdiction}`);
        const voteId = `${projectId}/eval-${state.evaluations.length + 1}`;
        try {
          await models.Ballot.create({
            _id: `${voteId}:${principal.sub}`,
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
      path: '/v1/livelihood/projects/:projectId/evaluation/count',
      summary: "Staff count the deputies' stored ratings of the open evaluation round and record the result",
      roles: ['staff'],
      body: z.object({}).strict(),
      responses: ACTION_RESPONSES,
      handler: async ({ principal, params }) => {
        const projectId = parseParam(projectIdParam, params.projectId, 'project id');
        const state = await projectState(projectId);
        if (!state) throw notFound(`project ${projectId}`);
        const { counts } = await countVote(models, `${projectId}/eval-${state.evaluations.length + 1}`);
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
      path: 're-report',
      summary: 'The lead department re-reports (再报告) after an unsatisfactory rating',
      roles: ['unit'],
      body: z.object({ summary: text(2, 20000) }).strict(),
      update: submitReReportUpdate,
      args: (b, by) => ({ by, summary: b.summary }),
    }),
  ];

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
          { secret: cfg.AUTH_JWT_SECRET, issuer: cfg.AUTH_ISSUER, ttl: '5m' },
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
