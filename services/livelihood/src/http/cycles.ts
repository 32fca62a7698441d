// A cycle's routes: start, read, its projects and departments, the vote and its ballots, and
// every cycle action (an Update with the caller as `by`).
import { z } from 'zod';
import { type UpdateDefinition } from '@temporalio/common';
import {
  ACTION_RESPONSES,
  caseActionRoute,
  actorOf,
  addContext,
  HttpError,
  idempotencyKeyOf,
  notFound,
  parseParam,
  route,
  sendUpdate,
  type Principal,
  type RouteSpec,
  startCaseWorkflow,
} from '@duban/platform';
import {
  LIVELIHOOD_CYCLE_WORKFLOW,
  closeCollectionUpdate,
  cycleIdOf,
  cycleStateQuery,
  mergeCandidatesUpdate,
  openLivelihoodVoteUpdate,
  proposeUpdate,
  publishBallotListUpdate,
  reviewFeasibilityUpdate,
  screenUpdate,
  type Actor,
  type livelihoodCycleWorkflow,
} from '@duban/workflows';
import { castBallot, countVote } from '../use-cases/votes';
import { BODIES, CYCLE_ROUTES, candidateId, type CycleRouteAction } from './actions';
import { cycleView, departmentRollUps, projectView, voteView } from './views';
import { ALL, CYCLE_START_ROLES, cycleIdParam } from './params';
import { isStaff, type LivelihoodCases, type LivelihoodDeps } from '../use-cases/livelihood';

export function cycleRoutes(deps: LivelihoodDeps, cases: LivelihoodCases): RouteSpec[] {
  const { models, temporal } = deps;
  const { cycleWorkflowId, cycleState, projectsOf, openVoteDoc, closeAndCount, ballotsIn } = cases;

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

  return [
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
  ];
}
