// Routes of the inquiry (质询案), the investigation of a specific question (特定问题调查) with the
// resolution that may follow, and the annual supervision plan (年度监督计划). Who may file is
// checked against the registry's roster before anything is stored or started.
import { z } from 'zod';
import { minInquirySigners } from '@duban/domain';
import {
  ACTION_RESPONSES,
  caseActionRoute,
  HttpError,
  actorOf,
  addContext,
  idempotencyKeyOf,
  notFound,
  parseParam,
  queryOrUndefined,
  route,
  sendUpdate,
  type Principal,
  type Role,
  type RouteSpec,
  startCaseWorkflow,
} from '@duban/platform';
import {
  SUPERVISION_PLAN_WORKFLOW,
  adoptPlanUpdate,
  decideInquiryUpdate,
  decideInvestigationUpdate,
  inquiryReplyUpdate,
  inquiryStateQuery,
  inquirySignersProblem,
  investigationProposersProblem,
  investigationReportUpdate,
  investigationStateQuery,
  planCaseId,
  planItemStartedUpdate,
  proposeTopicUpdate,
  rateInquiryUpdate,
  relatedPartGate,
  reviewOpinionStateQuery,
  supervisionPlanStateQuery,
  trackWorkflowId,
  type Actor,
  type InquiryState,
  type InvestigationState,
  type ReviewOpinionState,
  type SupervisionPlanInput,
  type SupervisionPlanState,
} from '@duban/workflows';
import type { UpdateDefinition } from '@temporalio/common';
import { actorString, openOpinion, type Deps } from '../use-cases/opinions';
import { bodies, relatedBody } from './bodies';
import { requestHash, startStoredCase, storeCase, yearOf } from '../use-cases/intake';
import type { OversightCaseDoc } from '../data/models';

const inquiryBody = bodies.fileInquiry;
const investigationBody = bodies.proposeInvestigation;

const inquiryId = z.string().regex(/^inquiry-\d{4}-\d{4,}$/, 'must look like inquiry-2026-0001');
const investigationId = z.string().regex(/^investigation-\d{4}-\d{4,}$/, 'must look like investigation-2026-0001');
const planId = z
  .string()
  .regex(/^supervision-plan-[a-z0-9-]+-\d{4}$/, 'must look like supervision-plan-<jurisdiction>-2026');

/** A filed case as callers see it: its id as caseId, without the intake's own marks. */
function filed(doc: OversightCaseDoc) {
  const { _id, start: _start, startPending: _pending, intakeKey: _key, intakeHash: _hash, ...rest } = doc;
  return { ...rest, caseId: _id };
}

export function caseRoutes(deps: Deps): RouteSpec[] {
  const { models } = deps;

  async function findCase(schema: z.ZodType<string>, raw: string | undefined, what: string): Promise<OversightCaseDoc> {
    const caseId = parseParam(schema, raw, 'case id');
    addContext({ caseId, workflowId: caseId });
    const doc = await models.Case.findById(caseId).lean();
    if (!doc) throw notFound(`${what} ${caseId}`);
    return doc;
  }

  /** The escalated unit part a new inquiry or investigation answers, checked before anything is stored. */
  async function checkRelated(r: z.infer<typeof relatedBody> | undefined, jurisdiction: string): Promise<void> {
    if (!r) return;
    const doc = await models.Case.findById(r.caseId).lean();
    if (!doc || !doc.units.includes(r.unit)) throw notFound(`unit ${r.unit} in ${r.caseId}`);
    if (doc.jurisdiction !== jurisdiction)
      throw new HttpError(400, 'bad_request', `${r.caseId} belongs to ${doc.jurisdiction}, not ${jurisdiction}`);
    const s = await queryOrUndefined<ReviewOpinionState>(
      deps.temporal,
      trackWorkflowId(r.caseId, r.unit),
      reviewOpinionStateQuery,
    );
    // The same gate the part's workflow applies when the case filed for it is linked.
    if (relatedPartGate(s))
      throw new HttpError(
        409,
        'not_escalated',
        `${r.unit}'s part of ${r.caseId} has not escalated; file without "related" to start one on its own`,
      );
  }
  const keyOf = (p: Principal, header: string | undefined, body: unknown) => {
    const key = idempotencyKeyOf(header);
    return key ? { keyId: `${p.sub}:${key}`, hash: requestHash(body) } : undefined;
  };

  function action<B extends z.ZodType, A, S>(spec: {
    base: string;
    id: z.ZodType<string>;
    path: string;
    summary: string;
    roles: readonly Role[];
    body: B;
    update: UpdateDefinition<S, [A]>;
    args: (body: z.infer<B>, by: Actor) => A;
  }): RouteSpec {
    return caseActionRoute({
      ...spec,
      temporal: deps.temporal,
      path: `/v1/${spec.base}/:id/${spec.path}`,
      load: async (params) => {
        const caseId = parseParam(spec.id, params.id, 'case id');
        addContext({ caseId });
        return { workflowId: caseId };
      },
      respond: (state, { workflowId }) => ({ caseId: workflowId, state }),
    });
  }

  return [
    // ---- inquiry
    route({
      method: 'post',
      path: '/v1/inquiries',
      summary:
        'A committee member files an inquiry (质询案) with co-signers, all members of the standing committee, at least the policy’s number for the level; refused with 422 otherwise',
      roles: ['deputy'],
      body: inquiryBody,
      responses: {
        201: 'Filed',
        200: 'Already filed with this Idempotency-Key',
        409: 'The related part has not escalated',
        422: 'Too few signers, a signer who is not a member, an unknown jurisdiction, or a unit not in the registry',
      },
      handler: async ({ req, principal, body }) => {
        const auth = req.header('authorization')!;
        const policy = await deps.registry.effectivePolicy(body.jurisdiction, auth);
        const roster = new Set((await deps.registry.committeeMembers(body.jurisdiction, auth)).map((m) => m.id));
        const signers = [principal.sub, ...body.coSigners];
        const problem = inquirySignersProblem(signers, roster, minInquirySigners(policy));
        if (problem) throw new HttpError(422, 'inquiry_refused', problem);
        await checkRelated(body.related, body.jurisdiction);
        await deps.registry.requireUnits(body.jurisdiction, [body.unit], auth);
        const { doc, created } = await storeCase(
          models,
          {
            kind: 'inquiry',
            jurisdiction: body.jurisdiction,
            title: body.subject,
            content: body.content,
            openedAt: new Date(),
            openedBy: actorString(principal),
            items: [],
            units: [body.unit],
            members: signers,
            ...(body.related ? { source: { caseId: body.related.caseId, itemId: body.related.unit } } : {}),
            policySources: policy.sources,
            start: { by: actorOf(principal) },
          },
          keyOf(principal, req.header('idempotency-key'), body),
        );
        await startStoredCase(deps, doc, policy);
        addContext({ caseId: doc._id });
        return {
          status: created ? 201 : 200,
          headers: { location: `/v1/inquiries/${doc._id}` },
          body: { caseId: doc._id, created, signers: doc.members },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/inquiries/:id',
      summary: 'An inquiry with its live state (the unit questioned sees its own)',
      roles: ['staff', 'operator', 'deputy', 'unit'],
      handler: async ({ principal, params }) => {
        const doc = await findCase(inquiryId, params.id, 'inquiry');
        if (principal.role === 'unit' && !doc.units.includes(principal.unit ?? ''))
          throw notFound(`inquiry ${doc._id}`);
        const state = await queryOrUndefined<InquiryState>(deps.temporal, doc._id, inquiryStateQuery);
        return { body: { ...filed(doc), state: state ?? null } };
      },
    }),
    action({
      base: 'inquiries',
      id: inquiryId,
      path: 'decision',
      summary:
        'Staff record the chair council’s decision (主任会议): an oral reply at a session (dueAt required) or a written reply',
      roles: ['staff'],
      body: bodies.decideInquiry,
      update: decideInquiryUpdate,
      args: (b, by) => ({ by, mode: b.mode, ...(b.dueAt ? { dueAt: new Date(b.dueAt).toISOString() } : {}) }),
    }),
    action({
      base: 'inquiries',
      id: inquiryId,
      path: 'reply',
      summary: 'The unit replies to the inquiry (staff record an oral reply given at the session)',
      roles: ['unit', 'staff'],
      body: bodies.inquiryReply,
      update: inquiryReplyUpdate,
      args: (b, by) => ({ by, summary: b.summary }),
    }),
    action({
      base: 'inquiries',
      id: inquiryId,
      path: 'rating',
      summary:
        'A member who filed the inquiry rates the reply, once; more than half dissatisfied → the unit replies again',
      roles: ['deputy'],
      body: bodies.rateInquiry,
      update: rateInquiryUpdate,
      args: (b, by) => ({ by, satisfied: b.satisfied }),
    }),

    // ---- investigation
    route({
      method: 'post',
      path: '/v1/investigations',
      summary:
        'Propose an investigation of a specific question (特定问题调查): staff for the chair council, or a member with co-proposers, at least one fifth of the roster; refused with 422 otherwise',
      roles: ['staff', 'deputy'],
      body: investigationBody,
      responses: {
        201: 'Proposed',
        200: 'Already proposed with this Idempotency-Key',
        409: 'The related part has not escalated',
        422: 'Below one fifth of the members, a proposer who is not a member, an unknown jurisdiction, or a unit not in the registry',
      },
      handler: async ({ req, principal, body }) => {
        const auth = req.header('authorization')!;
        const policy = await deps.registry.effectivePolicy(body.jurisdiction, auth);
        const roster = new Set((await deps.registry.committeeMembers(body.jurisdiction, auth)).map((m) => m.id));
        const proposedBy = principal.role === 'deputy' ? 'members' : 'chairCouncil';
        if (proposedBy === 'chairCouncil' && body.coProposers?.length)
          throw new HttpError(
            400,
            'bad_request',
            'coProposers: a proposal of the chair council names no member proposers',
          );
        const proposers = proposedBy === 'members' ? [principal.sub, ...(body.coProposers ?? [])] : [];
        const problem = investigationProposersProblem(
          proposedBy,
          proposers,
          roster,
          policy.policy.oversight.investigation.minProposerPercent,
        );
        if (problem) throw new HttpError(422, 'investigation_refused', problem);
        await checkRelated(body.related, body.jurisdiction);
        if (body.unit) await deps.registry.requireUnits(body.jurisdiction, [body.unit], auth);
        const { doc, created } = await storeCase(
          models,
          {
            kind: 'investigation',
            jurisdiction: body.jurisdiction,
            title: body.question,
            ...(body.content ? { content: body.content } : {}),
            openedAt: new Date(),
            openedBy: actorString(principal),
            items: [],
            units: body.unit ? [body.unit] : [],
            members: proposers,
            ...(body.related ? { source: { caseId: body.related.caseId, itemId: body.related.unit } } : {}),
            policySources: policy.sources,
            start: { by: actorOf(principal), proposedBy, memberCount: roster.size },
          },
          keyOf(principal, req.header('idempotency-key'), body),
        );
        await startStoredCase(deps, doc, policy);
        addContext({ caseId: doc._id });
        return {
          status: created ? 201 : 200,
          headers: { location: `/v1/investigations/${doc._id}` },
          body: { caseId: doc._id, created, proposedBy, proposers: doc.members },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/investigations/:id',
      summary: 'An investigation with its live state',
      roles: ['staff', 'operator', 'deputy', 'unit'],
      handler: async ({ principal, params }) => {
        const doc = await findCase(investigationId, params.id, 'investigation');
        if (principal.role === 'unit' && !doc.units.includes(principal.unit ?? ''))
          throw notFound(`investigation ${doc._id}`);
        const state = await queryOrUndefined<InvestigationState>(deps.temporal, doc._id, investigationStateQuery);
        return { body: { ...filed(doc), state: state ?? null } };
      },
    }),
    action({
      base: 'investigations',
      id: investigationId,
      path: 'decision',
      summary:
        'Staff record the committee’s decision: adopt with the investigation committee (调查委员会) and its report date, or not',
      roles: ['staff'],
      body: bodies.decideInvestigation,
      update: decideInvestigationUpdate,
      args: (b, by) => ({
        by,
        adopt: b.adopt,
        ...(b.committeeMembers ? { committeeMembers: b.committeeMembers } : {}),
        ...(b.reportDueAt ? { reportDueAt: new Date(b.reportDueAt).toISOString() } : {}),
      }),
    }),
    route({
      method: 'post',
      path: '/v1/investigations/:id/report',
      summary:
        'Staff record the investigation committee’s report; a resolution (决议) that follows, with its items for units, starts as its own case tracked to closure. Send Idempotency-Key to make retries safe.',
      roles: ['staff'],
      body: bodies.investigationReport,
      responses: ACTION_RESPONSES,
      handler: async ({ req, principal, params, body }) => {
        const doc = await findCase(investigationId, params.id, 'investigation');
        const key = idempotencyKeyOf(req.header('idempotency-key'));
        const state = await queryOrUndefined<InvestigationState>(deps.temporal, doc._id, investigationStateQuery);
        if (!state) throw notFound(`investigation ${doc._id}`);
        if (state.stage !== 'investigating' || state.report)
          throw new HttpError(
            409,
            'stage_conflict',
            `${doc._id} is ${state.stage}; a report is taken while investigating, once`,
          );
        let resolutionCaseId: string | undefined;
        if (body.resolution) {
          const policy = await deps.registry.effectivePolicy(doc.jurisdiction, req.header('authorization')!);
          // One resolution per investigation, even when the request is retried.
          const opened = await openOpinion(deps, {
            kind: 'resolution',
            body: { jurisdiction: doc.jurisdiction, ...body.resolution },
            principal,
            authorization: req.header('authorization')!,
            policy,
            source: { caseId: doc._id },
            idempotency: { keyId: `resolution-of:${doc._id}`, hash: requestHash(body.resolution) },
          });
          resolutionCaseId = opened.doc._id;
        }
        const result = await sendUpdate(
          deps.temporal,
          doc._id,
          investigationReportUpdate,
          { by: actorOf(principal), summary: body.summary, ...(resolutionCaseId ? { resolutionCaseId } : {}) },
          principal,
          key,
        );
        return { body: { caseId: doc._id, resolutionCaseId: resolutionCaseId ?? null, state: result } };
      },
    }),

    // ---- the annual supervision plan
    route({
      method: 'post',
      path: '/v1/supervision-plans',
      summary:
        'Staff start a jurisdiction’s supervision plan (年度监督计划) of a year; starting it again answers the same plan. Each year’s plan starts the next on 1 January.',
      roles: ['staff'],
      body: bodies.startPlan,
      responses: { 200: 'The plan', 422: 'Unknown jurisdiction' },
      handler: async ({ req, body }) => {
        const policy = await deps.registry.effectivePolicy(body.jurisdiction, req.header('authorization')!);
        const caseId = planCaseId(body.jurisdiction, body.year);
        const input: SupervisionPlanInput = { caseId, jurisdiction: body.jurisdiction, year: body.year, policy };
        await startCaseWorkflow(deps.temporal, {
          workflowType: SUPERVISION_PLAN_WORKFLOW,
          workflowId: caseId,
          taskQueue: deps.taskQueue,
          args: [input],
          kind: 'supervision_plan',
          jurisdiction: body.jurisdiction,
          stage: 'collecting',
          cycleYear: yearOf(new Date(Date.UTC(body.year, 5, 1))),
          ui: { title: `${body.year} 年度监督计划`, policy, facts: { 年度: body.year } },
        });
        addContext({ caseId, workflowId: caseId });
        return { headers: { location: `/v1/supervision-plans/${caseId}` }, body: { caseId } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/supervision-plans/:id',
      summary: 'A supervision plan: its topics, items, sessions and the review opinions they started',
      roles: ['staff', 'operator', 'deputy', 'unit'],
      handler: async ({ params }) => {
        const caseId = parseParam(planId, params.id, 'plan id');
        const state = await queryOrUndefined<SupervisionPlanState>(deps.temporal, caseId, supervisionPlanStateQuery);
        if (!state) throw notFound(`supervision plan ${caseId}`);
        return { body: { caseId, state } };
      },
    }),
    action({
      base: 'supervision-plans',
      id: planId,
      path: 'topics',
      summary:
        'Staff add a topic collected from a government report, a suggestion, a letter, hotline data or a citizen opinion (before adoption for this year’s plan, after it for next year’s)',
      roles: ['staff'],
      body: bodies.proposeTopic,
      update: proposeTopicUpdate,
      args: (b, by) => ({
        by,
        source: b.source,
        title: b.title,
        unit: b.unit,
        ...(b.sourceRef ? { sourceRef: b.sourceRef } : {}),
      }),
    }),
    action({
      base: 'supervision-plans',
      id: planId,
      path: 'adoption',
      summary: 'Staff record the plan as adopted: chosen topics become items (key or routine) with their session',
      roles: ['staff'],
      body: bodies.adoptPlan,
      update: adoptPlanUpdate,
      args: (b, by) => ({ by, items: b.items.map((i) => ({ ...i, sessionAt: new Date(i.sessionAt).toISOString() })) }),
    }),
    route({
      method: 'post',
      path: '/v1/supervision-plans/:id/items/:itemId/review-opinion',
      summary:
        'After the item’s session, staff record the committee’s review opinions on it: they start their own review-opinion workflows, linked to the plan item',
      roles: ['staff'],
      body: bodies.itemReviewOpinion,
      responses: { ...ACTION_RESPONSES, 201: 'The review opinion started' },
      handler: async ({ req, principal, params, body }) => {
        const caseId = parseParam(planId, params.id, 'plan id');
        const itemId = parseParam(
          z.string().regex(/^P\d{1,3}$/, 'must be a plan item id like P1'),
          params.itemId,
          'item',
        );
        const plan = await queryOrUndefined<SupervisionPlanState>(deps.temporal, caseId, supervisionPlanStateQuery);
        if (!plan) throw notFound(`supervision plan ${caseId}`);
        const item = plan.items.find((i) => i.itemId === itemId);
        if (!item) throw notFound(`item ${itemId} of ${caseId}`);
        if (item.status === 'scheduled')
          throw new HttpError(
            409,
            'stage_conflict',
            `plan item ${itemId} is due at its session ${item.sessionAt}, not before`,
          );
        const policy = await deps.registry.effectivePolicy(plan.jurisdiction, req.header('authorization')!);
        // One review opinion per plan item, even when the request is retried.
        const { doc, created } = await openOpinion(deps, {
          kind: 'review_opinion',
          body: { jurisdiction: plan.jurisdiction, ...body },
          principal,
          authorization: req.header('authorization')!,
          policy,
          source: { caseId, itemId },
          idempotency: { keyId: `plan-item:${caseId}/${itemId}`, hash: requestHash(body) },
        });
        if (item.status !== 'started')
          await sendUpdate(
            deps.temporal,
            caseId,
            planItemStartedUpdate,
            { by: actorOf(principal), itemId, reviewOpinionCaseId: doc._id },
            principal,
            `item-${itemId}`,
          );
        return {
          status: created ? 201 : 200,
          body: { planId: caseId, itemId, reviewOpinionCaseId: doc._id, units: doc.units },
        };
      },
    }),
  ];
}
