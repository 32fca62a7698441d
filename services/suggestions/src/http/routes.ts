// The suggestions routes: intake, reads, every case action (an Update with the caller as `by`) and the actions open to a caller.
import { z } from 'zod';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { type UpdateDefinition } from '@temporalio/common';
import { RATINGS } from '@duban/domain';
import {
  caseActionRoute,
  actorOf,
  addContext,
  caseCreated,
  intakeResponses,
  HttpError,
  idempotencyKeyOf,
  notFound,
  queryOrUndefined,
  route,
  type Principal,
  type Role,
  type RouteSpec,
} from '@duban/platform';
import { type RegistryClient } from '@duban/registry';
import {
  GRADES,
  coHandlerOpinionUpdate,
  decideExtensionUpdate,
  escalateNowUpdate,
  ladderStateQuery,
  objectUpdate,
  pauseClockUpdate,
  rateUpdate,
  reassignUpdate,
  replyUpdate,
  reportCommitmentUpdate,
  requestExtensionUpdate,
  resolveLadderUpdate,
  resumeClockUpdate,
  reviewUpdate,
  reviseUpdate,
  stateQuery,
  type Actor,
  type LadderState,
  type SuggestionState,
  openSuggestionActions,
  openLadderActions,
  type SuggestionAction,
} from '@duban/workflows';
import { type SuggestionModels, type SuggestionDoc } from '../data/models';
import { submitSuggestion } from '../use-cases/intake';

const lowerId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id');
const caseIdParam = z.string().regex(/^suggestion-\d{4}-\d{4,}$/, 'must look like suggestion-2026-0001');
const commitmentIdParam = z.string().regex(/^[A-Za-z0-9_.:/-]{1,100}$/, 'must be a commitment id from the case state');
const ladderSuffix = /^[A-Za-z0-9_-]{1,40}$/;

/** Free text of a reason, note or opinion. */
const text = (min = 2, max = 4000) =>
  z.string().trim().min(min, `must be at least ${min} characters`).max(max, `must be at most ${max} characters`);
const units = z.array(lowerId).max(20, 'at most 20 units');
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' });
const localOrInstant = z.union([z.iso.date(), instant], {
  error: 'must be a local date YYYY-MM-DD or an ISO 8601 date-time',
});
const required = (what: string) => ({
  error: (iss: { input?: unknown }) => (iss.input === undefined ? `required ${what}` : undefined),
});

const suggestionFields = {
  title: z.string().trim().min(4, 'must be at least 4 characters').max(200),
  content: z.string().trim().min(10, 'must be at least 10 characters').max(20000),
  category: lowerId,
};
const suggestionBody = z
  .object({
    ...suggestionFields,
    jurisdiction: lowerId,
    /** The citizen opinion (民情) a deputy takes up as this suggestion; the two cases are linked. */
    sourceCaseId: z
      .string()
      .regex(/^opinion-\d{4}-\d{4,}$/, 'must be a citizen opinion id like opinion-2026-000001')
      .optional(),
  })
  .strict();
const reviseBody = z.object(suggestionFields).strict();

const reviewBody = z.discriminatedUnion(
  'decision',
  [
    z
      .object({
        decision: z.literal('accept'),
        /** By default the policy's routing of the category. */
        leadUnit: lowerId.optional(),
        coHandlers: units.optional(),
        key: z
          .object({ leadingOfficial: text(1, 200), supervisingCommittee: text(1, 200) })
          .strict()
          .optional(),
      })
      .strict(),
    z.object({ decision: z.literal('return'), reason: z.string(required('to return it')).pipe(text(2)) }).strict(),
    z
      .object({
        decision: z.literal('merge'),
        reason: z.string(required('to merge it')).pipe(text(2)),
        mergeInto: z.string(required('to merge it: the surviving case id')).pipe(caseIdParam),
      })
      .strict(),
  ],
  { error: 'decision must be "accept", "return" or "merge"' },
);

const replyBody = z
  .object({
    grade: z.enum(GRADES),
    summary: z.string().trim().min(4, 'must be at least 4 characters').max(20000),
    commitments: z
      .array(z.object({ description: text(2, 2000), dueDate: localOrInstant }).strict())
      .max(50)
      .optional(),
  })
  .strict()
  .refine((b) => !['B', 'C'].includes(b.grade) || (b.commitments?.length ?? 0) > 0, {
    message: 'a B or C reply names at least one commitment (承诺): what will be done by when',
    path: ['commitments'],
  });
const objectionBody = z.object({ reason: text(2) }).strict();
const reassignBody = z.object({ leadUnit: lowerId, coHandlers: units.optional() }).strict();
const coHandlerOpinionBody = z.object({ opinion: text(2, 20000) }).strict();
const extensionRequestBody = z.object({ reason: text(2), until: instant }).strict();
const extensionDecisionBody = z.object({ approve: z.boolean(), note: text(2) }).strict();
const pauseBody = z.object({ reason: text(2) }).strict();
const resumeBody = z.object({}).strict();
const ratingBody = z.object({ rating: z.enum(RATINGS), comment: text(1, 4000).optional() }).strict();
const commitmentReportBody = z.object({ kept: z.boolean(), note: text(2) }).strict();

/** Each action's route and body: what GET /v1/suggestions/:id/actions answers with. */
const ACTION_ROUTES: Record<SuggestionAction, { path: string; title: string; body: z.ZodType }> = {
  review: { path: 'review', title: '审核交办', body: reviewBody },
  revise: { path: 'revise', title: '修改建议', body: reviseBody },
  objection: { path: 'objection', title: '退回错交', body: objectionBody },
  reassign: { path: 'reassign', title: '重新交办', body: reassignBody },
  coHandlerOpinion: { path: 'co-handler-opinion', title: '协办意见', body: coHandlerOpinionBody },
  extensionRequest: { path: 'extension-request', title: '延期申请', body: extensionRequestBody },
  extensionDecision: { path: 'extension-decision', title: '延期审批', body: extensionDecisionBody },
  pauseClock: { path: 'clock/pause', title: '暂停计时', body: pauseBody },
  resumeClock: { path: 'clock/resume', title: '恢复计时', body: resumeBody },
  reply: { path: 'reply', title: '答复', body: replyBody },
  rating: { path: 'rating', title: '满意度测评', body: ratingBody },
  commitmentReport: { path: 'commitments/:commitmentId/report', title: '承诺落实报告', body: commitmentReportBody },
};

const ladderNoteBody = z.object({ note: text(2) }).strict();
const LADDER_ACTIONS = {
  resolve: { path: 'resolve', title: '督办升级：已整改，结束升级' },
  escalateNow: { path: 'escalate-now', title: '督办升级：立即升至下一步' },
} as const;

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

function parseCaseId(raw: string | undefined): string {
  const parsed = caseIdParam.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, 'bad_request', `case id "${raw}": ${parsed.error.issues[0].message}`);
  addContext({ caseId: parsed.data, workflowId: parsed.data });
  return parsed.data;
}

/** A ladder of this case: its workflow id is "<caseId>-ladder-<n>". */
function parseLadderId(caseId: string, raw: string | undefined): string {
  const prefix = `${caseId}-ladder-`;
  if (!raw || !raw.startsWith(prefix) || !ladderSuffix.test(raw.slice(prefix.length)))
    throw new HttpError(400, 'bad_request', `ladder id "${raw}" must start with "${prefix}"`);
  return raw;
}

/**
 * May this principal read this suggestion? Its deputy, staff, operators, its lead unit and
 * its co-handlers.
 */
function canRead(p: Principal, doc: SuggestionDoc, state?: SuggestionState): boolean {
  if (p.role === 'staff' || p.role === 'operator') return true;
  if (p.role === 'deputy') return p.sub === doc.deputyId;
  if (p.role === 'unit')
    return !!state && !!p.unit && (state.leadUnit === p.unit || (state.coHandlers ?? []).includes(p.unit));
  return false;
}

function view(doc: SuggestionDoc, state?: SuggestionState) {
  return {
    caseId: doc._id,
    deputyId: doc.deputyId,
    jurisdiction: doc.jurisdiction,
    title: doc.title,
    content: doc.content,
    category: doc.category,
    submittedAt: doc.submittedAt,
    policySources: doc.policySources,
    ...(doc.sourceCaseId ? { sourceCaseId: doc.sourceCaseId } : {}),
    /** The reply deadline was counted without an official holiday schedule for its year (weekends only). */
    ...(state ? { calendarProvisional: state.calendarProvisional === true } : {}),
    state: state ?? null,
  };
}

export function suggestionRoutes(deps: {
  models: SuggestionModels;
  temporal: Client;
  taskQueue: string;
  registry: RegistryClient;
}) {
  const { models, temporal } = deps;

  const queryState = (caseId: string) => queryOrUndefined(temporal, caseId, stateQuery);

  async function findDoc(caseId: string): Promise<SuggestionDoc> {
    const doc = await models.Suggestion.findById(caseId).lean();
    if (!doc) throw notFound(`suggestion ${caseId}`);
    return doc;
  }

  /**
   * One action on a case: POST /v1/suggestions/:id/<path> → an Update of a workflow (the case's,
   * or one it started), with the caller as `by` (see caseActionRoute for retries and refusals).
   */
  function action<B extends z.ZodType, A, R>(spec: {
    path: string;
    summary: string;
    roles: readonly Role[];
    body: B;
    update: UpdateDefinition<R, [A]>;
    args: (body: z.infer<B>, by: Actor, params: Record<string, string>) => A;
    /** The workflow to update; the case's own by default. */
    workflowId?: (caseId: string, params: Record<string, string>) => string;
    respond: (ctx: { doc: SuggestionDoc; body: z.infer<B>; result: R; caseId: string }) => Promise<unknown>;
  }): RouteSpec {
    return caseActionRoute({
      ...spec,
      temporal,
      path: `/v1/suggestions/:id/${spec.path}`,
      load: async (params) => {
        const caseId = parseCaseId(params.id);
        const workflowId = spec.workflowId?.(caseId, params) ?? caseId;
        return { caseId, workflowId, doc: await findDoc(caseId) };
      },
      args: (b, by, _ctx, params) => spec.args(b, by, params),
      respond: (result, { doc, caseId }, _principal, body) => spec.respond({ doc, body, result, caseId }),
    });
  }

  /** An action on the case's own workflow; answers with the suggestion and its new state. */
  function caseAction<B extends z.ZodType, A>(
    spec: Omit<Parameters<typeof action<B, A, SuggestionState>>[0], 'respond' | 'workflowId'> & {
      respond?: Parameters<typeof action<B, A, SuggestionState>>[0]['respond'];
    },
  ): RouteSpec {
    return action({ respond: async ({ doc, result }) => view(doc, result), ...spec });
  }

  /** An action on an escalation ladder the case started; answers with the case and the ladder. */
  function ladderAction(
    path: string,
    summary: string,
    update: UpdateDefinition<LadderState, [{ by: Actor; note: string }]>,
  ) {
    return action({
      path: `ladders/:ladderId/${path}`,
      summary,
      roles: ['staff'],
      body: ladderNoteBody,
      update,
      args: (b, by) => ({ by, note: b.note }),
      workflowId: (caseId, params) => parseLadderId(caseId, params.ladderId),
      respond: async ({ doc, result, caseId }) => ({ ...view(doc, await queryState(caseId)), ladder: result }),
    });
  }

  return [
    route({
      method: 'post',
      path: '/v1/suggestions',
      summary:
        'A deputy submits a suggestion (提交代表建议); starts its case. Send Idempotency-Key to make retries safe.',
      roles: ['deputy'],
      body: suggestionBody,
      responses: intakeResponses('Unknown jurisdiction'),
      handler: async ({ req, principal, body }) => {
        const key = idempotencyKeyOf(req.header('idempotency-key'));
        const policy = await deps.registry.effectivePolicy(body.jurisdiction, req.header('authorization')!);
        const { caseId, created } = await submitSuggestion(deps, principal.sub, body, policy, key);
        return caseCreated(caseId, created, `/v1/suggestions/${caseId}`);
      },
    }),
    route({
      method: 'get',
      path: '/v1/suggestions',
      summary: 'A deputy lists their own suggestions; staff and operators list the latest',
      roles: ['deputy', 'staff', 'operator'],
      query: listQuery,
      handler: async ({ principal, query }) => {
        const filter = principal.role === 'deputy' ? { deputyId: principal.sub } : {};
        const docs = await models.Suggestion.find(filter).sort({ submittedAt: -1 }).limit(query.limit).lean();
        return { body: { items: docs.map((d) => view(d)) } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/suggestions/:id',
      summary: 'One suggestion with its live case state (from the workflow query)',
      roles: ['deputy', 'unit', 'staff', 'operator'],
      responses: { 200: 'The suggestion', 404: 'No such suggestion, or not yours' },
      handler: async ({ principal, params }) => {
        const caseId = parseCaseId(params.id);
        const doc = await findDoc(caseId);
        const state = await queryState(caseId);
        if (!canRead(principal, doc, state)) throw notFound(`suggestion ${caseId}`);
        return { body: view(doc, state) };
      },
    }),
    route({
      method: 'get',
      path: '/v1/suggestions/:id/actions',
      summary:
        'What the caller may do on this case now (from the live case state, by the rules the workflow validators apply): each action with its route and request body schema',
      roles: ['deputy', 'unit', 'staff', 'operator'],
      responses: { 200: 'The open actions', 404: 'No such suggestion, or not yours' },
      handler: async ({ principal, params }) => {
        const caseId = parseCaseId(params.id);
        const doc = await findDoc(caseId);
        const state = await queryState(caseId);
        if (!canRead(principal, doc, state)) throw notFound(`suggestion ${caseId}`);
        const open = state ? openSuggestionActions(state, actorOf(principal)) : [];
        // The ladders it climbs: staff resolve or escalate now, by the ladder workflow's own gate.
        const ladders = await Promise.all(
          (principal.role === 'staff' ? (state?.ladders ?? []) : [])
            .filter((l) => !l.outcome)
            .map((l) => queryOrUndefined<LadderState>(temporal, l.ladderId, ladderStateQuery)),
        );
        const ladderActions = ladders.flatMap((ladder) =>
          ladder
            ? openLadderActions(ladder, actorOf(principal)).map((a) => ({
                action: `ladder.${a}`,
                title: LADDER_ACTIONS[a].title,
                method: 'POST',
                path: `/v1/suggestions/${caseId}/ladders/${ladder.ladderId}/${LADDER_ACTIONS[a].path}`,
                schema: z.toJSONSchema(ladderNoteBody, { io: 'input' }),
                target: { ladderId: ladder.ladderId },
              }))
            : [],
        );
        return {
          body: {
            caseId,
            stage: state?.stage ?? null,
            actions: [
              ...open.map((action) => ({
                action,
                title: ACTION_ROUTES[action].title,
                method: 'POST',
                path: `/v1/suggestions/${caseId}/${ACTION_ROUTES[action].path}`,
                schema: z.toJSONSchema(ACTION_ROUTES[action].body, { io: 'input' }),
              })),
              ...ladderActions,
            ],
          },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/suggestions/:id/ladders/:ladderId',
      summary: 'An escalation ladder (督办升级) the case climbs: its steps, owners and deadlines',
      roles: ['staff', 'operator', 'deputy'],
      responses: { 200: 'The ladder', 400: 'Not a ladder id of this case', 404: 'No such suggestion or ladder' },
      handler: async ({ principal, params }) => {
        const caseId = parseCaseId(params.id);
        const ladderId = parseLadderId(caseId, params.ladderId);
        const doc = await findDoc(caseId);
        if (principal.role === 'deputy' && principal.sub !== doc.deputyId) throw notFound(`suggestion ${caseId}`);
        try {
          const ladder = await temporal.workflow.getHandle(ladderId).query(ladderStateQuery);
          return { body: { caseId, ladder } };
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) throw notFound(`ladder ${ladderId}`);
          throw err;
        }
      },
    }),

    caseAction({
      path: 'review',
      summary:
        'Committee staff review (审核) a submitted suggestion: accept and assign (交办), return for revision (退回修改) or merge (合并办理)',
      roles: ['staff'],
      body: reviewBody,
      update: reviewUpdate,
      args: (b, by) => ({ by, ...b }),
    }),
    caseAction({
      path: 'revise',
      summary: 'The deputy revises (修改) a suggestion returned to them',
      roles: ['deputy'],
      body: reviseBody,
      update: reviseUpdate,
      args: (b, by) => ({ by, title: b.title, category: b.category }),
      respond: async ({ doc, body, result }) => {
        // The case took the revision (or a retry returned it): the document follows.
        const revised =
          result.title === body.title && result.category === body.category
            ? await models.Suggestion.findByIdAndUpdate(
                doc._id,
                { $set: { title: body.title, content: body.content, category: body.category } },
                { new: true },
              ).lean()
            : doc;
        return view(revised ?? doc, result);
      },
    }),
    caseAction({
      path: 'objection',
      summary: 'The assigned unit objects to a wrong assignment (退回错交) within the objection window',
      roles: ['unit'],
      body: objectionBody,
      update: objectUpdate,
      args: (b, by) => ({ by, reason: b.reason }),
    }),
    caseAction({
      path: 'reassign',
      summary: 'Staff reassign (重新交办) an objected suggestion to another lead unit; the clock restarts',
      roles: ['staff'],
      body: reassignBody,
      update: reassignUpdate,
      args: (b, by) => ({ by, leadUnit: b.leadUnit, ...(b.coHandlers ? { coHandlers: b.coHandlers } : {}) }),
    }),
    caseAction({
      path: 'co-handler-opinion',
      summary: 'A co-handling unit (协办单位) sends its opinion (协办意见) to the lead unit',
      roles: ['unit'],
      body: coHandlerOpinionBody,
      update: coHandlerOpinionUpdate,
      args: (b, by) => ({ by, opinion: b.opinion }),
    }),
    caseAction({
      path: 'extension-request',
      summary: 'The lead unit asks for more time (延期申请) with a reason and a new deadline',
      roles: ['unit'],
      body: extensionRequestBody,
      update: requestExtensionUpdate,
      args: (b, by) => ({ by, reason: b.reason, until: new Date(b.until).toISOString() }),
    }),
    caseAction({
      path: 'extension-decision',
      summary: 'Staff approve or refuse an extension (延期审批); the deputy is told',
      roles: ['staff'],
      body: extensionDecisionBody,
      update: decideExtensionUpdate,
      args: (b, by) => ({ by, approve: b.approve, note: b.note }),
    }),
    caseAction({
      path: 'clock/pause',
      summary: 'The lead unit stops the reply clock (计时暂停) while it waits on the deputy',
      roles: ['unit'],
      body: pauseBody,
      update: pauseClockUpdate,
      args: (b, by) => ({ by, reason: b.reason }),
    }),
    caseAction({
      path: 'clock/resume',
      summary: 'The lead unit starts the reply clock again (恢复计时); the deadline moves by the paused time',
      roles: ['unit'],
      body: resumeBody,
      update: resumeClockUpdate,
      args: (_b, by) => ({ by }),
    }),
    caseAction({
      path: 'reply',
      summary: 'The lead unit replies (答复) with an outcome grade A/B/C/D; B and C name their commitments (承诺)',
      roles: ['unit'],
      body: replyBody,
      update: replyUpdate,
      args: (b, by) => ({
        by,
        grade: b.grade,
        summary: b.summary,
        ...(b.commitments ? { commitments: b.commitments } : {}),
      }),
    }),
    caseAction({
      path: 'rating',
      summary: 'The deputy rates the reply (满意度测评): satisfied, basically satisfied or unsatisfied',
      roles: ['deputy'],
      body: ratingBody,
      update: rateUpdate,
      args: (b, by) => ({ by, rating: b.rating, ...(b.comment ? { comment: b.comment } : {}) }),
    }),
    caseAction({
      path: 'commitments/:commitmentId/report',
      summary: 'The lead unit reports whether a commitment was kept (回头看 承诺报告)',
      roles: ['unit'],
      body: commitmentReportBody,
      update: reportCommitmentUpdate,
      args: (b, by, params) => {
        const id = commitmentIdParam.safeParse(params.commitmentId);
        if (!id.success)
          throw new HttpError(
            400,
            'bad_request',
            `commitment id "${params.commitmentId}": ${id.error.issues[0].message}`,
          );
        return { by, commitmentId: id.data, kept: b.kept, note: b.note };
      },
    }),
    ladderAction(
      'resolve',
      'Staff record that the escalated case is fixed (督办升级 解决): the ladder ends at its current step',
      resolveLadderUpdate,
    ),
    ladderAction(
      'escalate-now',
      'Staff move the escalation ladder (督办升级) to its next step now, without waiting for the deadline',
      escalateNowUpdate,
    ),
  ];
}
