// "What may this caller do now" on the oversight cases: each answer is derived from the cases'
// live state (their workflows' queries) by the gates the workflows' Update validators apply
// (@duban/workflows oversight/gates and ladder/gates), and each open action carries its route
// and request schema from the service's own routes (actionCatalog). Also what a caller may start
// (a review opinion, an inquiry, an investigation, a plan) and, for the to-do lists, the unit
// parts waiting for the caller.
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import {
  actionCatalog,
  actorOf,
  described,
  notFound,
  parseParam,
  queryOrUndefined,
  route,
  type OpenAction,
  type Principal,
  type RouteSpec,
} from '@duban/platform';
import {
  inquiryStateQuery,
  investigationStateQuery,
  ladderStateQuery,
  openInquiryActions,
  openInvestigationActions,
  openLadderActions,
  openPlanActions,
  openReviewOpinionActions,
  procedureAwaited,
  reviewOpinionStateQuery,
  supervisionPlanStateQuery,
  trackWorkflowId,
  type InquiryState,
  type InvestigationState,
  type LadderState,
  type ReviewOpinionAction,
  type ReviewOpinionState,
  type SupervisionPlanState,
} from '@duban/workflows';
import type { OversightCaseDoc } from '../data/models';
import { lowerId, type Deps } from '../use-cases/opinions';

const opinionId = z
  .string()
  .regex(
    /^(review-opinion|resolution)-\d{4}-\d{4,}$/,
    'must look like review-opinion-2026-0001 or resolution-2026-0001',
  );
const inquiryId = z.string().regex(/^inquiry-\d{4}-\d{4,}$/, 'must look like inquiry-2026-0001');
const investigationId = z.string().regex(/^investigation-\d{4}-\d{4,}$/, 'must look like investigation-2026-0001');
const planId = z
  .string()
  .regex(/^supervision-plan-[a-z0-9-]+-\d{4}$/, 'must look like supervision-plan-<jurisdiction>-2026');

const PART_ROUTES: Record<
  ReviewOpinionAction,
  { route: string; title: (s: ReviewOpinionState, itemId?: string) => string }
> = {
  itemFeedback: { route: '/v1/review-opinions/:id/items/:itemId/feedback', title: (_s, i) => `整改反馈（第 ${i} 条）` },
  confirmItem: {
    route: '/v1/review-opinions/:id/items/:itemId/confirmation',
    title: (_s, i) => `核实销号（第 ${i} 条）`,
  },
  submitReport: {
    route: '/v1/review-opinions/:id/units/:unit/report',
    title: (s) => (s.round > 1 ? '再次报告' : '报送办理情况报告'),
  },
  assessReport: { route: '/v1/review-opinions/:id/units/:unit/assessment', title: () => '评估办理情况报告' },
  openVote: { route: '/v1/review-opinions/:id/units/:unit/vote/open', title: () => '启动满意度测评' },
  castVote: { route: '/v1/review-opinions/:id/units/:unit/vote', title: () => '满意度测评投票' },
};
const LADDER_ROUTES = {
  resolve: { route: '/v1/review-opinions/:id/units/:unit/ladder/resolve', title: '督办升级：已整改，结束升级' },
  escalateNow: { route: '/v1/review-opinions/:id/units/:unit/ladder/escalate-now', title: '督办升级：立即升至下一步' },
} as const;

/** Whether the caller is on the jurisdiction's standing committee (members file and vote). */
async function isMember(deps: Deps, p: Principal, jurisdiction: string, authorization: string) {
  if (p.role !== 'deputy') return false;
  return (await deps.registry.committeeMembers(jurisdiction, authorization)).some((m) => m.id === p.sub);
}

/** The open actions on one unit's part: its own, its ladder's, and the procedure the law leaves to people. */
async function partActions(
  deps: Deps,
  describe: ReturnType<typeof actionCatalog>,
  doc: OversightCaseDoc,
  unit: string,
  state: ReviewOpinionState,
  principal: Principal,
  member: () => Promise<boolean>,
): Promise<OpenAction[]> {
  const by = actorOf(principal);
  const params = { id: doc._id, unit };
  const out: (OpenAction | undefined)[] = openReviewOpinionActions(state, by).map(({ action, itemId }) =>
    describe(principal, {
      action,
      title: PART_ROUTES[action].title(state, itemId),
      route: PART_ROUTES[action].route,
      params: { ...params, ...(itemId ? { itemId } : {}) },
      target: { unit, ...(itemId ? { itemId } : {}) },
    }),
  );
  if (state.ladder && !state.ladder.outcome && (principal.role === 'staff' || principal.role === 'operator')) {
    const ladder = await queryOrUndefined<LadderState>(deps.temporal, state.ladder.ladderId, ladderStateQuery);
    if (ladder)
      for (const a of openLadderActions(ladder, by))
        out.push(
          describe(principal, {
            action: `ladder.${a}`,
            title: LADDER_ROUTES[a].title,
            route: LADDER_ROUTES[a].route,
            params,
            target: { unit, ladderId: ladder.ladderId },
          }),
        );
  }
  const related = { jurisdiction: doc.jurisdiction, unit, related: { caseId: doc._id, unit } };
  if (procedureAwaited(state, 'inquiry') && (await member()))
    out.push(
      describe(principal, {
        action: 'fileInquiry',
        title: '提出质询案',
        route: '/v1/inquiries',
        target: { unit },
        prefill: related,
      }),
    );
  if (
    procedureAwaited(state, 'investigation') &&
    (principal.role === 'staff' || principal.role === 'operator' || (await member()))
  )
    out.push(
      describe(principal, {
        action: 'proposeInvestigation',
        title: '提议特定问题调查',
        route: '/v1/investigations',
        target: { unit },
        prefill: related,
      }),
    );
  return described(out);
}

export function actionRoutes(deps: Deps, routes: RouteSpec[], temporal: Client): RouteSpec[] {
  const describe = actionCatalog(routes);
  const roles = ['staff', 'operator', 'deputy', 'unit'] as const;
  const memberCheck = (p: Principal, jurisdiction: string, authorization: string) => {
    let answer: Promise<boolean> | undefined;
    return () => (answer ??= isMember(deps, p, jurisdiction, authorization));
  };

  async function opinionParts(doc: OversightCaseDoc, p: Principal) {
    const units = p.role === 'unit' ? doc.units.filter((u) => u === p.unit) : doc.units;
    return Promise.all(
      units.map(async (unit) => ({
        unit,
        state: await queryOrUndefined<ReviewOpinionState>(
          temporal,
          trackWorkflowId(doc._id, unit),
          reviewOpinionStateQuery,
        ),
      })),
    );
  }

  return [
    route({
      method: 'get',
      path: '/v1/review-opinions/:id/actions',
      summary:
        'What the caller may do on a review opinion or resolution now, part by part and item by item (from each part’s live state, by the gates its workflow’s validators apply): each action with its route and request schema',
      roles,
      responses: { 200: 'The open actions', 404: 'No such opinion, or not yours' },
      handler: async ({ req, principal, params }) => {
        const caseId = parseParam(opinionId, params.id, 'case id');
        const doc = await deps.models.Case.findById(caseId).lean();
        if (!doc || (principal.role === 'unit' && !doc.units.includes(principal.unit ?? '')))
          throw notFound(`review opinion ${caseId}`);
        const member = memberCheck(principal, doc.jurisdiction, req.header('authorization')!);
        const actions: OpenAction[] = [];
        for (const part of await opinionParts(doc, principal))
          if (part.state)
            actions.push(...(await partActions(deps, describe, doc, part.unit, part.state, principal, member)));
        return { body: { caseId, actions } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/review-opinions/waiting',
      summary:
        'The to-do of review opinions and resolutions: every running unit part on which the caller has an action open now (a unit: its own parts), with those actions. Lists the running parts on this service’s task queue (Temporal visibility, at most `limit`) and asks each its state; a part that does not answer within 3 s is left out and counted in `unanswered`.',
      roles: ['staff', 'operator', 'unit', 'deputy'],
      query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) }).strict(),
      handler: async ({ req, principal, query }) => {
        const unitClause = principal.role === 'unit' ? ` AND Unit = '${(principal.unit ?? '').replace(/'/g, '')}'` : '';
        const ids: string[] = [];
        for await (const wf of temporal.workflow.list({
          query: `CaseKind IN ('review_opinion', 'resolution') AND ExecutionStatus = 'Running' AND TaskQueue = '${deps.taskQueue.replace(/'/g, '')}'${unitClause}`,
        })) {
          ids.push(wf.workflowId);
          if (ids.length >= query.limit) break;
        }
        const docs = new Map<string, OversightCaseDoc | null>();
        const items: {
          caseId: string;
          kind: string;
          title: string;
          unit: string;
          stage: string;
          dueAt?: string;
          actions: OpenAction[];
        }[] = [];
        const next = [...ids];
        let unanswered = 0;
        async function work() {
          for (let id = next.shift(); id !== undefined; id = next.shift()) {
            const dot = id.lastIndexOf('.');
            if (dot < 0) continue;
            const caseId = id.slice(0, dot);
            const unit = id.slice(dot + 1);
            if (!docs.has(caseId)) docs.set(caseId, await deps.models.Case.findById(caseId).lean());
            const doc = docs.get(caseId);
            if (!doc) continue;
            // One part whose worker does not answer must not hold up the list.
            const state = await temporal
              .withDeadline(Date.now() + 3000, () =>
                queryOrUndefined<ReviewOpinionState>(temporal, id, reviewOpinionStateQuery),
              )
              .catch(() => {
                unanswered++;
                return undefined;
              });
            if (!state) continue;
            const actions = await partActions(
              deps,
              describe,
              doc,
              unit,
              state,
              principal,
              memberCheck(principal, doc.jurisdiction, req.header('authorization')!),
            );
            if (actions.length === 0) continue;
            const pending = state.items.filter((i) => i.status !== 'closed').map((i) => i.dueAt);
            const dueAt = [
              ...(state.reports.some((r) => r.round === state.round) ? [] : [state.reportDueAt]),
              ...pending,
            ]
              .filter(Boolean)
              .sort()[0];
            items.push({
              caseId,
              kind: doc.kind,
              title: doc.title,
              unit,
              stage: state.stage,
              ...(dueAt ? { dueAt } : {}),
              actions,
            });
          }
        }
        await Promise.all(Array.from({ length: 8 }, work));
        items.sort((a, b) => (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9') || a.caseId.localeCompare(b.caseId));
        return { body: { items, scanned: ids.length, unanswered, limit: query.limit } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/inquiries/:id/actions',
      summary: 'What the caller may do on an inquiry now (by the gates its workflow’s validators apply)',
      roles,
      handler: async ({ principal, params }) => {
        const caseId = parseParam(inquiryId, params.id, 'case id');
        const doc = await deps.models.Case.findById(caseId).lean();
        if (!doc || (principal.role === 'unit' && !doc.units.includes(principal.unit ?? '')))
          throw notFound(`inquiry ${caseId}`);
        const state = await queryOrUndefined<InquiryState>(temporal, caseId, inquiryStateQuery);
        const titles = { decide: '主任会议决定答复方式', reply: '答复质询', rate: '评价答复' } as const;
        const paths = { decide: 'decision', reply: 'reply', rate: 'rating' } as const;
        const actions = state
          ? described(
              openInquiryActions(state, actorOf(principal)).map((a) =>
                describe(principal, {
                  action: a,
                  title: state.round > 1 && a === 'reply' ? '再次答复质询' : titles[a],
                  route: `/v1/inquiries/:id/${paths[a]}`,
                  params: { id: caseId },
                }),
              ),
            )
          : [];
        return { body: { caseId, stage: state?.stage ?? null, actions } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/investigations/:id/actions',
      summary: 'What the caller may do on an investigation now (by the gates its workflow’s validators apply)',
      roles,
      handler: async ({ principal, params }) => {
        const caseId = parseParam(investigationId, params.id, 'case id');
        const doc = await deps.models.Case.findById(caseId).lean();
        if (!doc || (principal.role === 'unit' && !doc.units.includes(principal.unit ?? '')))
          throw notFound(`investigation ${caseId}`);
        const state = await queryOrUndefined<InvestigationState>(temporal, caseId, investigationStateQuery);
        const titles = { decide: '决定是否组织调查', report: '报送调查报告' } as const;
        const paths = { decide: 'decision', report: 'report' } as const;
        const actions = state
          ? described(
              openInvestigationActions(state, actorOf(principal)).map((a) =>
                describe(principal, {
                  action: a,
                  title: titles[a],
                  route: `/v1/investigations/:id/${paths[a]}`,
                  params: { id: caseId },
                }),
              ),
            )
          : [];
        return { body: { caseId, stage: state?.stage ?? null, actions } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/supervision-plans/:id/actions',
      summary: 'What the caller may do on a supervision plan now (by the gates its workflow’s validators apply)',
      roles,
      handler: async ({ principal, params }) => {
        const caseId = parseParam(planId, params.id, 'plan id');
        const state = await queryOrUndefined<SupervisionPlanState>(temporal, caseId, supervisionPlanStateQuery);
        if (!state) throw notFound(`supervision plan ${caseId}`);
        const actions = described(
          openPlanActions(state, actorOf(principal)).map(({ action, itemId }) =>
            action === 'itemReviewOpinion'
              ? describe(principal, {
                  action,
                  title: `录入审议意见（${itemId}）`,
                  route: '/v1/supervision-plans/:id/items/:itemId/review-opinion',
                  params: { id: caseId, itemId: itemId! },
                  target: { itemId: itemId! },
                })
              : describe(principal, {
                  action,
                  title: action === 'adopt' ? '通过年度监督计划' : '增加监督议题',
                  route: action === 'adopt' ? '/v1/supervision-plans/:id/adoption' : '/v1/supervision-plans/:id/topics',
                  params: { id: caseId },
                }),
          ),
        );
        return { body: { caseId, stage: state.stage, actions } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/oversight/actions',
      summary:
        'What the caller may start in a jurisdiction: review opinions, the supervision plan (staff), inquiries and investigations (members of the standing committee; staff for the chair council), each with its route and request schema',
      roles,
      query: z.object({ jurisdiction: lowerId }).strict(),
      handler: async ({ req, principal, query }) => {
        const member = await isMember(deps, principal, query.jurisdiction, req.header('authorization')!);
        if (principal.role === 'deputy' && !member)
          return { body: { jurisdiction: query.jurisdiction, member, actions: [] } };
        const prefill = { jurisdiction: query.jurisdiction };
        const actions = described([
          describe(principal, {
            action: 'openReviewOpinion',
            title: '新建审议意见',
            route: '/v1/review-opinions',
            prefill,
          }),
          describe(principal, { action: 'fileInquiry', title: '提出质询案', route: '/v1/inquiries', prefill }),
          describe(principal, {
            action: 'proposeInvestigation',
            title: '提议特定问题调查',
            route: '/v1/investigations',
            prefill,
          }),
          describe(principal, {
            action: 'startPlan',
            title: '启动年度监督计划',
            route: '/v1/supervision-plans',
            prefill: { ...prefill, year: new Date().getFullYear() },
          }),
        ]);
        return { body: { jurisdiction: query.jurisdiction, member, actions } };
      },
    }),
  ];
}
