// An elected project's routes: its progress, the inspections and ratings, and every project
// action (an Update answered with the project's progress view).
import { z } from 'zod';
import { type UpdateDefinition } from '@temporalio/common';
import {
  ACTION_RESPONSES,
  caseActionRoute,
  actorOf,
  addContext,
  forbidden,
  HttpError,
  isDuplicateKey,
  notFound,
  parseParam,
  route,
  sendUpdate,
  type Principal,
  type RouteSpec,
} from '@duban/platform';
import {
  recordEvaluationUpdate,
  recordInspectionUpdate,
  reportFixUpdate,
  reportProgressUpdate,
  submitMidYearReportUpdate,
  submitReReportUpdate,
  type Actor,
  type ProjectState,
} from '@duban/workflows';
import { ballotIdOf, countVote } from '../use-cases/votes';
import { BODIES, PROJECT_ROUTES, type ProjectRouteAction } from './actions';
import { projectView } from './views';
import { ALL, projectIdParam } from './params';
import { isStaff, type LivelihoodCases, type LivelihoodDeps } from '../use-cases/livelihood';

export function projectRoutes(deps: LivelihoodDeps, cases: LivelihoodCases): RouteSpec[] {
  const { models, temporal } = deps;
  const { projectState, inspectorGroups, ratingVoteIdOf, ratingRefusal } = cases;

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
  return [
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
}
