// The duties routes: registrations, reports, votes, group records, what is due and overdue, and the actions open to a caller.
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { RATINGS, localDateOf, type EffectivePolicy } from '@duban/domain';
import {
  ACTION_RESPONSES,
  actionCatalog,
  actorOf,
  described,
  addContext,
  HttpError,
  idempotencyKeyOf,
  isDuplicateKey,
  notFound,
  parseParam,
  queryOrUndefined,
  route,
  sendUpdate,
  type CaseActor,
  type RouteSpec,
} from '@duban/platform';
import { type RegistryClient } from '@duban/registry';
import {
  GROUP_DUTIES,
  appointeeCaseId,
  appointeeStateQuery,
  appointeeVoteUpdate,
  fileAppointeeReportUpdate,
  fileRegulationReportUpdate,
  groupDutyCaseId,
  groupDutyStateQuery,
  recordGroupDutyUpdate,
  regulationCaseId,
  regulationStateQuery,
  reviewRegulationReportUpdate,
  openAppointeeActions,
  openGroupActions,
  openRegulationActions,
  startDutyCase,
  type AppointeeReportState,
  type GroupDutyState,
  type RegulationReportState,
} from '@duban/workflows';
import { type DutiesModels } from '../data/models';
import { listDutyCases, quote, registerOnce } from '../use-cases/registrations';

const lowerId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id');
const localDate = z.iso.date({ error: 'must be a local date YYYY-MM-DD' });
const text = (min = 2, max = 20000) =>
  z.string().trim().min(min, `must be at least ${min} characters`).max(max, `must be at most ${max} characters`);
/** Who reads the registers and what is overdue. */
const STAFF = ['staff', 'operator'] as const;
/** Who registers regulations, appointed heads and groups: the committee's staff (operators watch, they do not file). */
const REGISTRARS = ['staff'] as const;
/** What registering a regulation or an appointed head answers. */
const REGISTRATION_RESPONSES = {
  201: 'Registered; its workflow started',
  200: 'Already registered',
  409: 'Registered with other details',
};

export function dutiesRoutes(deps: {
  models: DutiesModels;
  temporal: Client;
  taskQueue: string;
  registry: RegistryClient;
}): RouteSpec[] {
  const { models, temporal, registry } = deps;

  /**
   * Stores a registration once, under its id with its case id (the same details again change
   * nothing, others are a 409), and starts its case; answers whether it is new.
   */
  async function registerCase<R extends { jurisdiction: string }>(
    authorization: string,
    reg: {
      model: unknown;
      id: string;
      rest: R;
      caseId: string;
      same: (stored: R) => boolean;
      start: (policy: EffectivePolicy) => Promise<unknown>;
    },
  ): Promise<boolean> {
    addContext({ caseId: reg.caseId, workflowId: reg.caseId });
    const policy = await registry.effectivePolicy(reg.rest.jurisdiction, authorization);
    const created = await registerOnce(
      reg.model as never,
      { _id: reg.id, ...reg.rest, caseId: reg.caseId, registeredAt: new Date() },
      reg.same,
    );
    // Started even when the document existed: a crash between the two is finished here.
    await reg.start(policy);
    return created;
  }

  /** A POST that is one Update to the duty case its path names, the caller its actor. */
  function caseUpdateRoute<B extends z.ZodType, A, S>(spec: {
    path: string;
    summary: string;
    roles: RouteSpec['roles'];
    body: B;
    caseIdOf: (params: Record<string, string>) => string;
    update: UpdateDefinition<S, [A]>;
    args: (body: z.infer<B>, by: CaseActor) => A;
  }): RouteSpec {
    return route({
      method: 'post',
      path: spec.path,
      summary: spec.summary,
      roles: spec.roles,
      body: spec.body,
      responses: ACTION_RESPONSES,
      handler: async ({ req, principal, params, body }) => {
        const caseId = spec.caseIdOf(params);
        const state = await sendUpdate(
          temporal,
          caseId,
          spec.update,
          spec.args(body as z.infer<B>, actorOf(principal)),
          principal,
          idempotencyKeyOf(req.header('idempotency-key')),
        );
        return { body: state };
      },
    });
  }

  const routes: RouteSpec[] = [
    // ---- regulations
    route({
      method: 'post',
      path: '/v1/regulations',
      summary:
        'Staff register a local regulation in force (地方性法规); its implementation report is requested when the policy period is reached. Registering it again changes nothing.',
      roles: REGISTRARS,
      body: z
        .object({
          regulationId: lowerId,
          title: text(2, 300),
          jurisdiction: lowerId,
          unit: lowerId,
          inForceOn: localDate,
        })
        .strict(),
      responses: REGISTRATION_RESPONSES,
      handler: async ({ req, body }) => {
        const { regulationId, ...rest } = body;
        const caseId = regulationCaseId(regulationId);
        const created = await registerCase(req.header('authorization')!, {
          model: models.Regulation,
          id: regulationId,
          rest,
          caseId,
          same: (s) => s.unit === rest.unit && s.inForceOn === rest.inForceOn && s.jurisdiction === rest.jurisdiction,
          start: (policy) =>
            startDutyCase(temporal, deps.taskQueue, {
              kind: 'regulation_report',
              input: {
                caseId,
                regulationId,
                jurisdiction: body.jurisdiction,
                unit: body.unit,
                inForceOn: body.inForceOn,
                policy,
              },
            }),
        });
        return { status: created ? 201 : 200, body: { regulationId, caseId, created } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/regulations/:id',
      summary: "A regulation and its report's live state",
      roles: ['staff', 'operator', 'unit'],
      handler: async ({ principal, params }) => {
        const id = parseParam(lowerId, params.id, 'regulation id');
        const doc = await models.Regulation.findById(id).lean();
        if (!doc || (principal.role === 'unit' && principal.unit !== doc.unit)) throw notFound(`regulation ${id}`);
        return {
          body: { ...doc, state: (await queryOrUndefined(temporal, doc.caseId, regulationStateQuery)) ?? null },
        };
      },
    }),
    caseUpdateRoute({
      path: '/v1/regulations/:id/report',
      summary: 'The government department files the implementation report (实施情况报告)',
      roles: ['unit'],
      body: z.object({ summary: text() }).strict(),
      caseIdOf: (params) => regulationCaseId(parseParam(lowerId, params.id, 'regulation id')),
      update: fileRegulationReportUpdate,
      args: (body, by) => ({ by, summary: body.summary }),
    }),
    caseUpdateRoute({
      path: '/v1/regulations/:id/review',
      summary: 'Staff review the report: accepted, or returned for a new one',
      roles: ['staff'],
      body: z.object({ decision: z.enum(['accepted', 'returned']), note: text() }).strict(),
      caseIdOf: (params) => regulationCaseId(parseParam(lowerId, params.id, 'regulation id')),
      update: reviewRegulationReportUpdate,
      args: (body, by) => ({ by, ...body }),
    }),

    // ---- appointed department heads
    route({
      method: 'post',
      path: '/v1/appointments',
      summary:
        'Staff register an appointed department head (任命人员) for a term; one performance report is due in it. Registering it again changes nothing.',
      roles: REGISTRARS,
      body: z
        .object({
          appointmentId: lowerId,
          officialId: lowerId,
          unit: lowerId,
          jurisdiction: lowerId,
          termStart: localDate,
          termEnd: localDate.optional(),
        })
        .strict()
        .refine((b) => !b.termEnd || b.termEnd > b.termStart, {
          message: 'termEnd must be after termStart',
          path: ['termEnd'],
        }),
      responses: REGISTRATION_RESPONSES,
      handler: async ({ req, body }) => {
        const { appointmentId, ...rest } = body;
        const caseId = appointeeCaseId(appointmentId);
        const created = await registerCase(req.header('authorization')!, {
          model: models.Appointment,
          id: appointmentId,
          rest,
          caseId,
          same: (s) => s.officialId === rest.officialId && s.unit === rest.unit && s.termStart === rest.termStart,
          start: (policy) =>
            startDutyCase(temporal, deps.taskQueue, {
              kind: 'appointee_report',
              input: { caseId, appointmentId, ...rest, policy },
            }),
        });
        return { status: created ? 201 : 200, body: { appointmentId, caseId, created } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/appointments/due',
      summary: 'Staff see which appointed heads have not yet reported in their term (still due), soonest flag first',
      roles: STAFF,
      query: z.object({ jurisdiction: lowerId.optional() }).strict(),
      handler: async ({ query: q }) => {
        const items = await listDutyCases(
          temporal,
          `CaseKind = 'appointee_report' AND Stage = 'due' AND ExecutionStatus = 'Running'${
            q.jurisdiction ? ` AND Jurisdiction = ${quote(q.jurisdiction)}` : ''
          }`,
        );
        items.sort((a, b) => String(a.dueAt).localeCompare(String(b.dueAt)));
        return { body: { items } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/appointments/:id',
      summary: "An appointment and its report's live state (votes, tally)",
      roles: ['staff', 'operator', 'unit', 'deputy'],
      handler: async ({ principal, params }) => {
        const id = parseParam(lowerId, params.id, 'appointment id');
        const doc = await models.Appointment.findById(id).lean();
        if (!doc || (principal.role === 'unit' && principal.unit !== doc.unit)) throw notFound(`appointment ${id}`);
        return { body: { ...doc, state: (await queryOrUndefined(temporal, doc.caseId, appointeeStateQuery)) ?? null } };
      },
    }),
    route({
      method: 'post',
      path: '/v1/appointments/:id/report',
      summary:
        "The department files its head's performance report (履职报告); the committee members' satisfaction vote opens, the electorate being the registry's roster",
      roles: ['unit'],
      body: z.object({ summary: text() }).strict(),
      responses: { ...ACTION_RESPONSES, 422: 'No committee roster registered' },
      handler: async ({ req, principal, params, body }) => {
        const id = parseParam(lowerId, params.id, 'appointment id');
        const doc = await models.Appointment.findById(id).lean();
        if (!doc) throw notFound(`appointment ${id}`);
        const electorate = (await registry.committeeMembers(doc.jurisdiction, req.header('authorization')!)).map(
          (m) => m.id,
        );
        if (electorate.length === 0)
          throw new HttpError(422, 'no_roster', `no committee members are registered for ${doc.jurisdiction}`);
        const state = await sendUpdate(
          temporal,
          doc.caseId,
          fileAppointeeReportUpdate,
          { by: actorOf(principal), summary: body.summary, electorate },
          principal,
          idempotencyKeyOf(req.header('idempotency-key')),
        );
        return { body: state };
      },
    }),
    route({
      method: 'post',
      path: '/v1/appointments/:id/votes',
      summary:
        'A committee member votes on the report, once while the vote is open (a second vote is refused with 409)',
      roles: ['deputy'],
      body: z.object({ choice: z.enum(RATINGS) }).strict(),
      responses: ACTION_RESPONSES,
      handler: async ({ req, principal, params, body }) => {
        const id = parseParam(lowerId, params.id, 'appointment id');
        const key = idempotencyKeyOf(req.header('idempotency-key'));
        const caseId = appointeeCaseId(id);
        const voteId = `${caseId}/${principal.sub}`;
        // One vote per member: the unique _id decides, even for two requests at once.
        let inserted = false;
        try {
          await models.Vote.create({ _id: voteId, choice: body.choice, idempotencyKey: key, at: new Date() });
          inserted = true;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          const first = await models.Vote.findById(voteId).lean();
          if (!key || first?.idempotencyKey !== key || first.choice !== body.choice)
            throw new HttpError(
              409,
              'already_voted',
              `${principal.sub} has already voted on this report; one vote per member`,
            );
        }
        try {
          return {
            body: await sendUpdate(
              temporal,
              caseId,
              appointeeVoteUpdate,
              { by: actorOf(principal), choice: body.choice },
              principal,
              key,
            ),
          };
        } catch (err) {
          // Refused (not a member, no vote open): nothing stays recorded.
          if (inserted && err instanceof HttpError) await models.Vote.deleteOne({ _id: voteId });
          throw err;
        }
      },
    }),

    // ---- deputies' professional groups
    route({
      method: 'post',
      path: '/v1/groups',
      summary:
        "Staff register a deputies' professional group (代表专业小组): this year's duties start now, each next year from the one before",
      roles: REGISTRARS,
      body: z.object({ groupId: lowerId, jurisdiction: lowerId }).strict(),
      responses: { 201: 'Registered; this year started', 200: 'Already registered' },
      handler: async ({ req, body }) => {
        const auth = req.header('authorization')!;
        const year = Number(localDateOf(new Date()).slice(0, 4));
        const policy = await registry.effectivePolicy(body.jurisdiction, auth);
        const members = (await registry.deputies(body.jurisdiction, auth))
          .filter((d) => d.groups?.includes(body.groupId))
          .map((d) => d.id);
        const created = await registerOnce(
          models.Group as never,
          { _id: body.groupId, jurisdiction: body.jurisdiction, firstYear: year, registeredAt: new Date() },
          (s: { jurisdiction: string }) => s.jurisdiction === body.jurisdiction,
        );
        const caseId = groupDutyCaseId(body.groupId, year);
        await startDutyCase(temporal, deps.taskQueue, {
          kind: 'group_duty',
          input: { caseId, groupId: body.groupId, jurisdiction: body.jurisdiction, year, members, policy },
        });
        return { status: created ? 201 : 200, body: { groupId: body.groupId, caseId, year, members, created } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/groups/:id/years/:year',
      summary: "A group's year: what it recorded and what is missing",
      roles: ['staff', 'operator', 'deputy'],
      handler: async ({ params }) => {
        const id = parseParam(lowerId, params.id, 'group id');
        const year = parseParam(z.coerce.number().int().min(2000).max(2200), params.year, 'year');
        const state = await queryOrUndefined(temporal, groupDutyCaseId(id, year), groupDutyStateQuery);
        if (!state) throw notFound(`${id} in ${year}`);
        return { body: state };
      },
    }),
    caseUpdateRoute({
      path: '/v1/groups/:id/years/:year/records',
      summary: 'A group member or staff record a research report (调研报告) or a supervised suggestion (督办建议)',
      roles: ['staff', 'deputy'],
      body: z
        .object({ duty: z.enum(GROUP_DUTIES), refId: z.string().regex(/^[A-Za-z0-9_.:-]{2,100}$/, 'must be an id') })
        .strict(),
      caseIdOf: (params) =>
        groupDutyCaseId(
          parseParam(lowerId, params.id, 'group id'),
          parseParam(z.coerce.number().int().min(2000).max(2200), params.year, 'year'),
        ),
      update: recordGroupDutyUpdate,
      args: (body, by) => ({ by, ...body }),
    }),

    // ---- operators: everything overdue for a unit, of every kind
    route({
      method: 'get',
      path: '/v1/overdue',
      summary:
        'Everything running and overdue for a unit (or station, or group), of every case kind: one Temporal visibility query (Overdue = true AND Unit = …)',
      roles: STAFF,
      query: z.object({ unit: lowerId, jurisdiction: lowerId.optional() }).strict(),
      handler: async ({ query: q }) => ({
        body: {
          items: await listDutyCases(
            temporal,
            `Overdue = true AND Unit = ${quote(q.unit)} AND ExecutionStatus = 'Running'${
              q.jurisdiction ? ` AND Jurisdiction = ${quote(q.jurisdiction)}` : ''
            }`,
          ),
        },
      }),
    }),
  ];
  return [...routes, ...dutiesActionRoutes(deps, routes)];
}

/**
 * What the caller may do on a duty case now, from its live state by the gates its workflow's
 * validators apply, each action with its route and request schema; and what staff may register.
 */
function dutiesActionRoutes(
  deps: { models: DutiesModels; temporal: Client; registry: RegistryClient },
  routes: RouteSpec[],
): RouteSpec[] {
  const { models, temporal, registry } = deps;
  const describe = actionCatalog(routes);
  const year = z.coerce.number().int().min(2000).max(2200);
  return [
    route({
      method: 'get',
      path: '/v1/regulations/:id/actions',
      summary: "What the caller may do on a regulation's report now",
      roles: ['staff', 'operator', 'unit'],
      handler: async ({ principal, params }) => {
        const id = parseParam(lowerId, params.id, 'regulation id');
        const doc = await models.Regulation.findById(id).lean();
        if (!doc || (principal.role === 'unit' && principal.unit !== doc.unit)) throw notFound(`regulation ${id}`);
        const state = await queryOrUndefined<RegulationReportState>(temporal, doc.caseId, regulationStateQuery);
        const titles = { fileReport: '报送实施情况报告', review: '审查实施情况报告' } as const;
        const paths = { fileReport: 'report', review: 'review' } as const;
        const actions = state
          ? described(
              openRegulationActions(state, actorOf(principal)).map((a) =>
                describe(principal, {
                  action: a,
                  title: state.round > 1 && a === 'fileReport' ? '重新报送实施情况报告' : titles[a],
                  route: `/v1/regulations/:id/${paths[a]}`,
                  params: { id },
                }),
              ),
            )
          : [];
        return { body: { caseId: doc.caseId, stage: state?.stage ?? null, actions } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/appointments/:id/actions',
      summary: "What the caller may do on an appointed head's report now",
      roles: ['staff', 'operator', 'unit', 'deputy'],
      handler: async ({ principal, params }) => {
        const id = parseParam(lowerId, params.id, 'appointment id');
        const doc = await models.Appointment.findById(id).lean();
        if (!doc || (principal.role === 'unit' && principal.unit !== doc.unit)) throw notFound(`appointment ${id}`);
        const state = await queryOrUndefined<AppointeeReportState>(temporal, doc.caseId, appointeeStateQuery);
        const titles = { fileReport: '报送履职报告', vote: '满意度测评投票' } as const;
        const paths = { fileReport: 'report', vote: 'votes' } as const;
        const actions = state
          ? described(
              openAppointeeActions(state, actorOf(principal)).map((a) =>
                describe(principal, {
                  action: a,
                  title: titles[a],
                  route: `/v1/appointments/:id/${paths[a]}`,
                  params: { id },
                }),
              ),
            )
          : [];
        return { body: { caseId: doc.caseId, stage: state?.stage ?? null, actions } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/groups/:id/years/:year/actions',
      summary: "What the caller may do on a group's year now",
      roles: ['staff', 'operator', 'deputy'],
      handler: async ({ req, principal, params }) => {
        const id = parseParam(lowerId, params.id, 'group id');
        const y = parseParam(year, params.year, 'year');
        const caseId = groupDutyCaseId(id, y);
        const state = await queryOrUndefined<GroupDutyState>(temporal, caseId, groupDutyStateQuery);
        if (!state) throw notFound(`${id} in ${y}`);
        const group = await models.Group.findById(id).lean();
        // Years started before their state named their members: the registry's group as it is now.
        const members =
          state.members ??
          (group
            ? (await registry.deputies(group.jurisdiction, req.header('authorization')!))
                .filter((d) => d.groups?.includes(id))
                .map((d) => d.id)
            : []);
        const actions = described(
          openGroupActions(state, actorOf(principal), members).map((a) =>
            describe(principal, {
              action: a,
              title: '登记履职（调研报告 / 督办建议）',
              route: '/v1/groups/:id/years/:year/records',
              params: { id, year: String(y) },
            }),
          ),
        );
        return { body: { caseId, stage: state.stage, actions } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/duties/actions',
      summary: 'What the caller may register: regulations, appointed heads, professional groups (staff)',
      roles: ['staff', 'operator', 'unit', 'deputy'],
      query: z.object({ jurisdiction: lowerId }).strict(),
      handler: async ({ principal, query }) => {
        const prefill = { jurisdiction: query.jurisdiction };
        const actions = described([
          describe(principal, {
            action: 'registerRegulation',
            title: '登记地方性法规',
            route: '/v1/regulations',
            prefill,
          }),
          describe(principal, {
            action: 'registerAppointment',
            title: '登记任命人员',
            route: '/v1/appointments',
            prefill,
          }),
          describe(principal, { action: 'registerGroup', title: '登记代表专业小组', route: '/v1/groups', prefill }),
        ]);
        return { body: { jurisdiction: query.jurisdiction, actions } };
      },
    }),
  ];
}
