// The review-opinion routes (审议意见): opening one per report, its tracks per unit, reads and the waiting list.
import { z } from 'zod';
import type { UpdateDefinition } from '@temporalio/common';
import {
  ACTION_RESPONSES,
  caseActionRoute,
  actorOf,
  addContext,
  HttpError,
  idempotencyKeyOf,
  isDuplicateKey,
  notFound,
  parseParam,
  queryOrUndefined,
  route,
  sendUpdate,
  type Principal,
  type Role,
  type RouteSpec,
} from '@duban/platform';
import {
  assessReportUpdate,
  castVoteUpdate,
  confirmItemUpdate,
  escalateNowUpdate,
  itemFeedbackUpdate,
  ladderStateQuery,
  openVoteUpdate,
  resolveLadderUpdate,
  reviewOpinionStateQuery,
  submitReportUpdate,
  trackWorkflowId,
  type Actor,
  type ReviewOpinionState,
} from '@duban/workflows';
import { type OversightCaseDoc } from '../data/models';
import { requestHash } from '../use-cases/intake';

import { lowerId, openOpinion, type Deps } from '../use-cases/opinions';
import { bodies } from './bodies';

const opinionIdParam = z
  .string()
  .regex(
    /^(review-opinion|resolution)-\d{4}-\d{4,}$/,
    'must look like review-opinion-2026-0001 or resolution-2026-0001',
  );
const itemIdParam = z.string().regex(/^\d{1,4}$/, 'must be an item number of the opinion');

export function reviewOpinionRoutes(deps: Deps): RouteSpec[] {
  const { models } = deps;

  async function findOpinion(raw: string | undefined): Promise<OversightCaseDoc> {
    const caseId = parseParam(opinionIdParam, raw, 'case id');
    addContext({ caseId });
    const doc = await models.Case.findById(caseId).lean();
    if (!doc) throw notFound(`review opinion ${caseId}`);
    return doc;
  }
  const tracksOf = async (doc: OversightCaseDoc) =>
    Promise.all(
      doc.units.map(async (unit) => ({
        unit,
        workflowId: trackWorkflowId(doc._id, unit),
        state:
          (await queryOrUndefined<ReviewOpinionState>(
            deps.temporal,
            trackWorkflowId(doc._id, unit),
            reviewOpinionStateQuery,
          )) ?? null,
      })),
    );
  /** Staff, operators and members see the whole opinion; a unit only its own part. */
  async function view(doc: OversightCaseDoc, p: Principal) {
    let tracks = await tracksOf(doc);
    let items = doc.items;
    if (p.role === 'unit') {
      tracks = tracks.filter((t) => t.unit === p.unit);
      items = items.filter((i) => i.unit === p.unit);
    }
    return {
      caseId: doc._id,
      kind: doc.kind,
      jurisdiction: doc.jurisdiction,
      title: doc.title,
      content: doc.content,
      openedAt: doc.openedAt,
      items,
      units: p.role === 'unit' ? tracks.map((t) => t.unit) : doc.units,
      source: doc.source,
      policySources: doc.policySources,
      tracks,
    };
  }
  const unitParam = (doc: OversightCaseDoc, raw: string | undefined) => {
    const unit = parseParam(lowerId, raw, 'unit');
    if (!doc.units.includes(unit)) throw notFound(`unit ${unit} in ${doc._id}`);
    return unit;
  };
  const itemUnit = (doc: OversightCaseDoc, raw: string | undefined) => {
    const itemId = parseParam(itemIdParam, raw, 'item id');
    const item = doc.items.find((i) => i.itemId === itemId);
    if (!item) throw notFound(`item ${itemId} of ${doc._id}`);
    return { itemId, unit: item.unit };
  };

  function action<B extends z.ZodType, A>(spec: {
    path: string;
    summary: string;
    roles: readonly Role[];
    body: B;
    update: UpdateDefinition<ReviewOpinionState, [A]>;
    /** The unit whose part the action is on, and the Update's argument. */
    target: (
      doc: OversightCaseDoc,
      params: Record<string, string>,
      body: z.infer<B>,
      by: Actor,
    ) => { unit: string; args: A };
  }): RouteSpec {
    return caseActionRoute({
      ...spec,
      temporal: deps.temporal,
      path: `/v1/review-opinions/:id/${spec.path}`,
      load: async (params, principal, body) => {
        const doc = await findOpinion(params.id);
        const { unit, args } = spec.target(doc, params, body, actorOf(principal));
        return { doc, unit, args, workflowId: trackWorkflowId(doc._id, unit) };
      },
      args: (_body, _by, ctx) => ctx.args,
      respond: (state, { doc, unit }) => ({ caseId: doc._id, unit, state }),
    });
  }

  return [
    route({
      method: 'post',
      path: '/v1/review-opinions',
      summary:
        'Staff record the review opinions (审议意见) on a report as an issue list and a supervision list, each item assigned to a unit; starts one workflow per unit. Send Idempotency-Key to make retries safe.',
      roles: ['staff'],
      body: bodies.openReviewOpinion,
      responses: {
        201: 'Created',
        200: 'Already created with this Idempotency-Key',
        409: 'Idempotency-Key reused',
        422: 'Unknown jurisdiction, or a unit not in the registry',
      },
      handler: async ({ req, principal, body }) => {
        const key = idempotencyKeyOf(req.header('idempotency-key'));
        const auth = req.header('authorization')!;
        const policy = await deps.registry.effectivePolicy(body.jurisdiction, auth);
        const { doc, created } = await openOpinion(deps, {
          kind: 'review_opinion',
          body,
          principal,
          authorization: auth,
          policy,
          idempotency: key ? { keyId: `${principal.sub}:${key}`, hash: requestHash(body) } : undefined,
        });
        addContext({ caseId: doc._id });
        return {
          status: created ? 201 : 200,
          headers: { location: `/v1/review-opinions/${doc._id}` },
          body: { caseId: doc._id, created, units: doc.units, items: doc.items },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/review-opinions/:id',
      summary: 'A review opinion or resolution with every unit part’s live state (a unit sees only its own part)',
      roles: ['staff', 'operator', 'deputy', 'unit'],
      responses: { 200: 'The opinion', 404: 'No such opinion, or not yours' },
      handler: async ({ principal, params }) => {
        const doc = await findOpinion(params.id);
        if (principal.role === 'unit' && !doc.units.includes(principal.unit ?? ''))
          throw notFound(`review opinion ${doc._id}`);
        return { body: await view(doc, principal) };
      },
    }),
    action({
      path: 'items/:itemId/feedback',
      summary: 'The unit gives item-by-item feedback (条目式反馈); done: true with evidence asks staff to close it',
      roles: ['unit'],
      body: bodies.itemFeedback,
      update: itemFeedbackUpdate,
      target: (doc, params, b, by) => {
        const { itemId, unit } = itemUnit(doc, params.itemId);
        return {
          unit,
          args: { by, itemId, progress: b.progress, done: b.done, ...(b.evidence ? { evidence: b.evidence } : {}) },
        };
      },
    }),
    action({
      path: 'items/:itemId/confirmation',
      summary: 'Staff confirm the item closed (销号) with the evidence kept, or send it back (confirm: false)',
      roles: ['staff'],
      body: bodies.confirmItem,
      update: confirmItemUpdate,
      target: (doc, params, b, by) => {
        const { itemId, unit } = itemUnit(doc, params.itemId);
        return {
          unit,
          args: { by, itemId, confirm: b.confirm, note: b.note, ...(b.evidence ? { evidence: b.evidence } : {}) },
        };
      },
    }),
    action({
      path: 'units/:unit/report',
      summary: 'The unit submits its written handling report (研究处理情况报告), or its re-report (再次报告)',
      roles: ['unit'],
      body: bodies.submitReport,
      update: submitReportUpdate,
      target: (doc, params, b, by) => ({ unit: unitParam(doc, params.unit), args: { by, summary: b.summary } }),
    }),
    action({
      path: 'units/:unit/assessment',
      summary: 'Staff assess the report without a vote: accepted, or poor rectification (整改不力 → re-report)',
      roles: ['staff'],
      body: bodies.assessReport,
      update: assessReportUpdate,
      target: (doc, params, b, by) => ({ unit: unitParam(doc, params.unit), args: { by, verdict: b.verdict } }),
    }),
    route({
      method: 'post',
      path: '/v1/review-opinions/:id/units/:unit/vote/open',
      summary:
        'Staff open the members’ satisfaction vote (满意度测评) on the unit’s report; the electorate is the committee roster from the registry',
      roles: ['staff'],
      body: bodies.openVote,
      responses: ACTION_RESPONSES,
      handler: async ({ req, principal, params }) => {
        const doc = await findOpinion(params.id);
        const unit = unitParam(doc, params.unit);
        const key = idempotencyKeyOf(req.header('idempotency-key'));
        const roster = await deps.registry.committeeMembers(doc.jurisdiction, req.header('authorization')!);
        if (roster.length === 0)
          throw new HttpError(422, 'no_roster', `no committee members are registered for ${doc.jurisdiction}`);
        const state = await sendUpdate(
          deps.temporal,
          trackWorkflowId(doc._id, unit),
          openVoteUpdate,
          { by: actorOf(principal), electorate: roster.map((m) => m.id) },
          principal,
          key,
        );
        return { body: { caseId: doc._id, unit, state } };
      },
    }),
    route({
      method: 'post',
      path: '/v1/review-opinions/:id/units/:unit/vote',
      summary:
        'A committee member votes on the unit’s report, once while the vote is open (a second vote is refused with 409)',
      roles: ['deputy'],
      body: bodies.castVote,
      responses: ACTION_RESPONSES,
      handler: async ({ req, principal, params, body }) => {
        const doc = await findOpinion(params.id);
        const unit = unitParam(doc, params.unit);
        const key = idempotencyKeyOf(req.header('idempotency-key'));
        const workflowId = trackWorkflowId(doc._id, unit);
        const current = await queryOrUndefined<ReviewOpinionState>(deps.temporal, workflowId, reviewOpinionStateQuery);
        if (!current) throw notFound(`unit ${unit} in ${doc._id}`);
        const voteId = `${workflowId}/${current.round}/${principal.sub}`;
        // One vote per member: the unique _id decides, even for two requests at once.
        let inserted = false;
        try {
          await deps.models.Vote.create({ _id: voteId, vote: body.vote, idempotencyKey: key, at: new Date() });
          inserted = true;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          const first = await deps.models.Vote.findById(voteId).lean();
          // A retry of the same request (same key) returns the first answer; anything else is a second vote.
          if (!key || first?.idempotencyKey !== key || first.vote !== body.vote)
            throw new HttpError(
              409,
              'already_voted',
              `${principal.sub} has already voted on this report; one vote per member`,
            );
        }
        try {
          const state = await sendUpdate(
            deps.temporal,
            workflowId,
            castVoteUpdate,
            { by: actorOf(principal), vote: body.vote },
            principal,
            key,
          );
          return { body: { caseId: doc._id, unit, state } };
        } catch (err) {
          // Refused (not a member, no vote open): nothing stays recorded.
          if (inserted && err instanceof HttpError) await deps.models.Vote.deleteOne({ _id: voteId });
          throw err;
        }
      },
    }),
    route({
      method: 'get',
      path: '/v1/review-opinions/:id/units/:unit/ladder',
      summary: 'The escalation ladder (督办升级) the unit’s part climbs: its steps, owners and deadlines',
      roles: ['staff', 'operator', 'deputy'],
      handler: async ({ params }) => {
        const doc = await findOpinion(params.id);
        const unit = unitParam(doc, params.unit);
        const ladderId = `${trackWorkflowId(doc._id, unit)}-ladder-1`;
        const ladder = await queryOrUndefined(deps.temporal, ladderId, ladderStateQuery);
        if (!ladder) throw notFound(`ladder of ${unit} in ${doc._id}`);
        return { body: { caseId: doc._id, unit, ladder } };
      },
    }),
    ...(
      [
        ['resolve', resolveLadderUpdate, 'Staff record that the unit fixed it (督办升级 解决): the ladder ends'],
        ['escalate-now', escalateNowUpdate, 'Staff move the ladder to its next step now'],
      ] as const
    ).map(([path, update, summary]) =>
      route({
        method: 'post',
        path: `/v1/review-opinions/:id/units/:unit/ladder/${path}`,
        summary,
        roles: ['staff'],
        body: bodies.ladderNote,
        responses: ACTION_RESPONSES,
        handler: async ({ req, principal, params, body }) => {
          const doc = await findOpinion(params.id);
          const unit = unitParam(doc, params.unit);
          const key = idempotencyKeyOf(req.header('idempotency-key'));
          const ladder = await sendUpdate(
            deps.temporal,
            `${trackWorkflowId(doc._id, unit)}-ladder-1`,
            update,
            { by: actorOf(principal), note: body.note },
            principal,
            key,
          );
          return { body: { caseId: doc._id, unit, ladder } };
        },
      }),
    ),
  ];
}
