// The citizen routes: opinions sent at a station or online, their reads, and every action on them.
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { RATINGS } from '@duban/domain';
import {
  ACTION_RESPONSES,
  actionCatalog,
  caseActionRoute,
  described,
  type CaseActionOf,
  actorOf,
  addContext,
  caseCreated,
  intakeResponses,
  HttpError,
  idempotencyKeyOf,
  notFound,
  parseParam,
  queryOrUndefined,
  route,
  sendUpdate,
  type Principal,
  type RouteSpec,
} from '@duban/platform';
import { type RegistryClient } from '@duban/registry';
import {
  answerOpinionUpdate,
  beginForwardUpdate,
  letterStateQuery,
  linkSuggestionUpdate,
  openLetterActions,
  opinionStateQuery,
  rateLetterUpdate,
  rateOpinionUpdate,
  replyLetterUpdate,
  sendLetterUpdate,
  type CitizenOpinionState,
  type LiaisonLetterState,
} from '@duban/workflows';
import { type SuggestionsClient } from '../clients/suggestions';
import { submitOpinion } from '../use-cases/intake';
import { type CitizenModels, type OpinionDoc } from '../data/models';

const lowerId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id');
const opinionIdParam = z.string().regex(/^opinion-\d{4}-\d{4,}$/, 'must look like opinion-2026-000001');
const letterIdParam = z
  .string()
  .regex(/^opinion-\d{4}-\d{4,}-letter-\d+$/, 'must look like opinion-2026-000001-letter-1');
const text = (min = 2, max = 4000) =>
  z.string().trim().min(min, `must be at least ${min} characters`).max(max, `must be at most ${max} characters`);

const opinionBody = z
  .object({
    stationId: lowerId,
    channel: z.enum(['station', 'online']),
    category: lowerId,
    content: text(5, 20000),
    /** Kept in this service's document only; never in events, workflows or search attributes. */
    contact: z
      .object({
        name: text(1, 100).optional(),
        phone: z
          .string()
          .regex(/^\+?[0-9 -]{5,20}$/, 'must be a phone number')
          .optional(),
        email: z.email({ message: 'must be an email address' }).max(254).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
const suggestionBody = z
  .object({
    title: z.string().trim().min(4, 'must be at least 4 characters').max(200),
    content: z.string().trim().min(10, 'must be at least 10 characters').max(20000),
    category: lowerId,
  })
  .strict();
const ratingBody = z.object({ rating: z.enum(RATINGS) }).strict();
const listQuery = z
  .object({ station: lowerId.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();

const isStaff = (p: Principal) => p.role === 'staff' || p.role === 'operator';

/** The citizen, the station's deputies and staff read an opinion, contact details included. */
function canReadOpinion(p: Principal, doc: OpinionDoc): boolean {
  if (isStaff(p)) return true;
  if (p.role === 'citizen') return p.sub === doc.citizenId;
  if (p.role === 'deputy') return doc.stationDeputies.includes(p.sub);
  return false;
}

function opinionView(doc: OpinionDoc, state?: CitizenOpinionState) {
  return {
    caseId: doc._id,
    citizenId: doc.citizenId,
    jurisdiction: doc.jurisdiction,
    stationId: doc.stationId,
    channel: doc.channel,
    category: doc.category,
    content: doc.content,
    contact: doc.contact ?? null,
    submittedAt: doc.submittedAt,
    policySources: doc.policySources,
    letter: doc.letter ?? null,
    suggestionId: doc.suggestionId ?? state?.suggestionId ?? null,
    state: state ?? null,
  };
}

/** The department it went to, its deputy, the citizen and staff read a letter. */
function canReadLetter(p: Principal, doc: OpinionDoc, letterId: string): boolean {
  const l = doc.letter;
  if (!l || l.letterId !== letterId) return false;
  return (
    isStaff(p) ||
    (p.role === 'unit' && p.unit === l.unit) ||
    (p.role === 'deputy' && p.sub === l.deputyId) ||
    (p.role === 'citizen' && p.sub === doc.citizenId)
  );
}

/** What a department sees of a letter: the opinion's text, never the citizen's contact details. */
function letterView(doc: OpinionDoc, state?: LiaisonLetterState) {
  return {
    letterId: doc.letter!.letterId,
    opinionId: doc._id,
    unit: doc.letter!.unit,
    deputyId: doc.letter!.deputyId,
    letter: doc.letter!.content,
    opinion: { category: doc.category, content: doc.content, stationId: doc.stationId },
    state: state ?? null,
  };
}

export function citizenRoutes(deps: {
  models: CitizenModels;
  temporal: Client;
  taskQueue: string;
  registry: RegistryClient;
  suggestions: SuggestionsClient;
}): RouteSpec[] {
  const { models, temporal } = deps;

  async function findOpinion(caseId: string): Promise<OpinionDoc> {
    const doc = await models.Opinion.findById(caseId).lean();
    if (!doc) throw notFound(`citizen opinion ${caseId}`);
    return doc as OpinionDoc;
  }
  /** POST /v1/citizen-opinions/:id/<path> → an Update of the opinion; answers the opinion. */
  function opinionAction<B extends z.ZodType, A>(
    spec: CaseActionOf<B, A, CitizenOpinionState, { workflowId: string }>,
  ): RouteSpec {
    return caseActionRoute({
      ...spec,
      temporal,
      path: `/v1/citizen-opinions/:id/${spec.path}`,
      load: async (params) => {
        const caseId = parseParam(opinionIdParam, params.id, 'opinion id');
        addContext({ caseId });
        await findOpinion(caseId);
        return { workflowId: caseId };
      },
      respond: async (state, { workflowId }) => opinionView(await findOpinion(workflowId), state),
    });
  }
  /** POST /v1/liaison-letters/:id/<path> → an Update of the letter; answers what a department sees. */
  function letterAction<B extends z.ZodType, A>(
    spec: CaseActionOf<B, A, LiaisonLetterState, { workflowId: string; doc: OpinionDoc }>,
  ): RouteSpec {
    return caseActionRoute({
      ...spec,
      temporal,
      path: `/v1/liaison-letters/:id/${spec.path}`,
      load: async (params) => {
        const letterId = parseParam(letterIdParam, params.id, 'letter id');
        addContext({ caseId: letterId });
        const doc = await findOpinion(letterId.replace(/-letter-\d+$/, ''));
        if (doc.letter?.letterId !== letterId) throw notFound(`liaison letter ${letterId}`);
        return { workflowId: letterId, doc };
      },
      respond: (state, { doc }) => letterView(doc, state),
    });
  }

  const routes: RouteSpec[] = [
    route({
      method: 'post',
      path: '/v1/citizen-opinions',
      summary:
        'A citizen sends an opinion (民情) at a liaison station or online; it reaches the deputies on duty there. Contact details stay in this service. Send Idempotency-Key to make retries safe.',
      roles: ['citizen'],
      body: opinionBody,
      responses: intakeResponses('Unknown station or jurisdiction'),
      handler: async ({ req, principal, body }) => {
        const key = idempotencyKeyOf(req.header('idempotency-key'));
        const auth = req.header('authorization')!;
        const station = await deps.registry.station(body.stationId, auth);
        const policy = await deps.registry.effectivePolicy(station.jurisdiction, auth);
        const { caseId, created } = await submitOpinion(deps, principal.sub, body, station, policy, key);
        return caseCreated(caseId, created, `/v1/citizen-opinions/${caseId}`);
      },
    }),
    route({
      method: 'get',
      path: '/v1/citizen-opinions',
      summary:
        'A citizen lists their own opinions; a deputy the opinions of a station they serve (?station=); staff the latest',
      roles: ['citizen', 'deputy', 'staff', 'operator'],
      query: listQuery,
      handler: async ({ principal, query: q }) => {
        let filter: Record<string, string> = {};
        if (principal.role === 'citizen') filter = { citizenId: principal.sub };
        else if (principal.role === 'deputy') {
          if (!q.station)
            throw new HttpError(400, 'bad_request', 'a deputy lists the opinions of one station: ?station=');
          filter = { stationId: q.station };
        } else if (q.station) filter = { stationId: q.station };
        const docs = (await models.Opinion.find(filter)
          .sort({ submittedAt: -1 })
          .limit(q.limit)
          .lean()) as OpinionDoc[];
        const visible = docs.filter((d) => canReadOpinion(principal, d));
        return { body: { items: visible.map((d) => opinionView(d)) } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/citizen-opinions/:id',
      summary: 'One citizen opinion with its live case state (the citizen, the station deputies, staff)',
      roles: ['citizen', 'deputy', 'staff', 'operator'],
      responses: { 200: 'The opinion', 404: 'No such opinion, or not yours' },
      handler: async ({ principal, params }) => {
        const caseId = parseParam(opinionIdParam, params.id, 'opinion id');
        const doc = await findOpinion(caseId);
        if (!canReadOpinion(principal, doc)) throw notFound(`citizen opinion ${caseId}`);
        return {
          body: opinionView(doc, await queryOrUndefined<CitizenOpinionState>(temporal, caseId, opinionStateQuery)),
        };
      },
    }),
    opinionAction({
      path: 'answer',
      summary: 'A deputy on duty at the station answers the citizen directly (代表答复)',
      roles: ['deputy'],
      body: z.object({ text: text(2, 20000) }).strict(),
      update: answerOpinionUpdate,
      args: (b, by) => ({ by, text: b.text }),
    }),
    opinionAction({
      path: 'rating',
      summary: "The citizen rates the deputy's answer (反馈评价)",
      roles: ['citizen'],
      body: ratingBody,
      update: rateOpinionUpdate,
      args: (b, by) => ({ by, rating: b.rating }),
    }),
    route({
      method: 'post',
      path: '/v1/citizen-opinions/:id/letter',
      summary:
        'A deputy on duty sends a liaison letter (代表联系函) about the opinion to a department, which must reply within the policy window. Send Idempotency-Key to make retries safe.',
      roles: ['deputy'],
      body: z.object({ unit: lowerId, content: text(5, 20000) }).strict(),
      responses: { ...ACTION_RESPONSES, 422: 'The unit is not in the registry' },
      handler: async ({ req, principal, params, body }) => {
        const caseId = parseParam(opinionIdParam, params.id, 'opinion id');
        addContext({ caseId, workflowId: caseId });
        const key = idempotencyKeyOf(req.header('idempotency-key'));
        const existing = await findOpinion(caseId);
        // A repeat by the deputy who sent it (e.g. after the document write below failed) keeps
        // the first letter and answers as the first time; anyone else is refused by the case.
        const current = await queryOrUndefined<CitizenOpinionState>(temporal, caseId, opinionStateQuery);
        const repeat = !!current?.letter && current.handledBy === principal.sub && current.letter.unit === body.unit;
        // The department must exist in the opinion's jurisdiction: nobody could answer a letter to another.
        if (!repeat) await deps.registry.requireUnits(existing.jurisdiction, [body.unit], req.header('authorization')!);
        const state = repeat
          ? current!
          : await sendUpdate(
              temporal,
              caseId,
              sendLetterUpdate,
              { by: actorOf(principal), unit: body.unit },
              principal,
              key,
            );
        const letterId = state.letter!.letterId;
        // The letter's text is kept here, once: the first text the case took stays.
        const doc = existing.letter
          ? existing
          : await models.Opinion.findByIdAndUpdate(
              caseId,
              {
                $set: {
                  letter: { letterId, unit: state.letter!.unit, content: body.content, deputyId: state.handledBy },
                },
              },
              { new: true },
            ).lean();
        return { body: opinionView(doc as OpinionDoc, state) };
      },
    }),
    route({
      method: 'post',
      path: '/v1/citizen-opinions/:id/suggestion',
      summary:
        'A deputy on duty takes the opinion up as a suggestion (转为代表建议): the suggestion case starts through the suggestions service and the two cases name each other. Repeating it is harmless.',
      roles: ['deputy'],
      body: suggestionBody,
      responses: { ...ACTION_RESPONSES, 502: 'The suggestions service failed; repeat the request' },
      handler: async ({ req, principal, params, body }) => {
        const caseId = parseParam(opinionIdParam, params.id, 'opinion id');
        addContext({ caseId, workflowId: caseId });
        const doc = await findOpinion(caseId);
        const by = actorOf(principal);
        // Already taken up (the case may have closed since): a repeat by its deputy is answered
        // with the link; anyone else is told who took it up.
        if (doc.suggestionId) {
          const state = await queryOrUndefined<CitizenOpinionState>(temporal, caseId, opinionStateQuery);
          if (state?.handledBy !== principal.sub)
            throw new HttpError(
              409,
              'stage_conflict',
              `${caseId} was already taken up as ${doc.suggestionId} by deputy ${state?.handledBy ?? 'another deputy'}`,
            );
          return { body: opinionView(doc, state) };
        }
        // 1. The case accepts this deputy (on duty, opinion still open) and holds it for them.
        const begun = await sendUpdate(temporal, caseId, beginForwardUpdate, { by }, principal);
        if (begun.suggestionId) return { body: opinionView(doc, begun) };
        // 2. The suggestion, once per opinion whatever the retries (the key names this opinion).
        const suggestionId = await deps.suggestions.submit(
          { ...body, jurisdiction: doc.jurisdiction, sourceCaseId: caseId },
          req.header('authorization')!,
          `from-${caseId}`,
        );
        // 3. The link, both ways: the suggestion's input names this case; this case names it.
        const state = await sendUpdate(temporal, caseId, linkSuggestionUpdate, { by, suggestionId }, principal);
        const linked = await models.Opinion.findByIdAndUpdate(caseId, { $set: { suggestionId } }, { new: true }).lean();
        return { body: opinionView(linked as OpinionDoc, state) };
      },
    }),
    route({
      method: 'get',
      path: '/v1/liaison-letters/:id',
      summary: 'A liaison letter and its live state: the department it went to, its deputy, the citizen, staff',
      roles: ['unit', 'deputy', 'citizen', 'staff', 'operator'],
      responses: { 200: 'The letter', 404: 'No such letter, or not yours' },
      handler: async ({ principal, params }) => {
        const letterId = parseParam(letterIdParam, params.id, 'letter id');
        const doc = await findOpinion(letterId.replace(/-letter-\d+$/, ''));
        if (!canReadLetter(principal, doc, letterId)) throw notFound(`liaison letter ${letterId}`);
        return {
          body: letterView(doc, await queryOrUndefined<LiaisonLetterState>(temporal, letterId, letterStateQuery)),
        };
      },
    }),
    letterAction({
      path: 'reply',
      summary: 'The department the letter went to replies (办理回复)',
      roles: ['unit'],
      body: z.object({ text: text(2, 20000) }).strict(),
      update: replyLetterUpdate,
      args: (b, by) => ({ by, text: b.text }),
    }),
    letterAction({
      path: 'rating',
      summary: "The citizen or the deputy rates the department's reply (反馈评价), once each",
      roles: ['citizen', 'deputy'],
      body: ratingBody,
      update: rateLetterUpdate,
      args: (b, by) => ({ by, rating: b.rating }),
    }),
  ];

  // What the caller may do on a liaison letter now: the letter workflow's gates on its live state.
  const describe = actionCatalog(routes);
  const LETTER_ACTIONS = {
    reply: { title: '办理回复', route: '/v1/liaison-letters/:id/reply' },
    rate: { title: '评价回复', route: '/v1/liaison-letters/:id/rating' },
  } as const;
  return [
    ...routes,
    route({
      method: 'get',
      path: '/v1/liaison-letters/:id/actions',
      summary:
        'What the caller may do on a liaison letter now (from its live state, by the gates the letter workflow’s validators apply): each action with its route and request schema',
      roles: ['unit', 'deputy', 'citizen', 'staff', 'operator'],
      responses: { 200: 'The open actions', 404: 'No such letter, or not yours' },
      handler: async ({ principal, params }) => {
        const letterId = parseParam(letterIdParam, params.id, 'letter id');
        const doc = await findOpinion(letterId.replace(/-letter-\d+$/, ''));
        if (!canReadLetter(principal, doc, letterId)) throw notFound(`liaison letter ${letterId}`);
        const state = await queryOrUndefined<LiaisonLetterState>(temporal, letterId, letterStateQuery);
        const actions = state
          ? described(
              openLetterActions(state, actorOf(principal)).map((a) =>
                describe(principal, { action: a, ...LETTER_ACTIONS[a], params: { id: letterId } }),
              ),
            )
          : [];
        return { body: { caseId: letterId, stage: state?.stage ?? null, actions } };
      },
    }),
  ];
}
