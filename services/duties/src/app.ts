// The duties service: committee staff register local regulations, appointed department heads
// and deputies' professional groups; each registration starts its duty's workflow, which
// sleeps to its date on its own (docs/domain.md §5). Units file reports, staff review, committee
// members vote once each, groups record their duties; staff see who is still due and
// everything overdue for a unit, of every kind.
import { z } from 'zod';
import type { Connection } from 'mongoose';
import { Connection as TemporalConnection, Client, WorkflowNotFoundError } from '@temporalio/client';
import { type QueryDefinition, type UpdateDefinition } from '@temporalio/common';
import { RATINGS, localDateOf, type EffectivePolicy } from '@duban/domain';
import {
  HttpError,
  addContext,
  connectModels,
  createMetrics,
  isDuplicateKey,
  mongoHealthy,
  notFound,
  route,
  startHttpService,
  type Logger,
  type Principal,
  type RouteSpec,
} from '@duban/platform';
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
  startDutyCase,
  type Actor,
  updateRejection,
} from '@duban/workflows';
import type { DutiesConfig } from './config';
import { dutiesModels, type DutiesModels } from './models';

const lowerId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id');
const localDate = z.iso.date({ error: 'must be a local date YYYY-MM-DD' });
const idempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'must be 8–128 letters, digits or _.:-');
const text = (min = 2, max = 20000) =>
  z.string().trim().min(min, `must be at least ${min} characters`).max(max, `must be at most ${max} characters`);
const STAFF = ['staff', 'operator'] as const;

const ACTION_RESPONSES = {
  200: 'Accepted; the case after the action',
  400: 'Malformed body, or input the case refuses',
  403: 'Not your case or not your role in it',
  404: 'Not registered',
  409: 'Not in a stage that takes this action, a second vote, or closed',
};

function parse<T>(schema: z.ZodType<T>, raw: string | undefined, what: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, 'bad_request', `${what} "${raw}": ${parsed.error.issues[0].message}`);
  return parsed.data;
}
const actorOf = (p: Principal): Actor => ({ role: p.role, sub: p.sub, ...(p.unit ? { unit: p.unit } : {}) });

// ---- the registry, over HTTP
interface Registry {
  policy(jurisdiction: string, auth: string): Promise<EffectivePolicy>;
  committeeMembers(jurisdiction: string, auth: string): Promise<string[]>;
  groupMembers(jurisdiction: string, groupId: string, auth: string): Promise<string[]>;
}
function registryClient(baseUrl: string): Registry {
  async function get<T>(path: string, auth: string, what: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, { headers: { authorization: auth }, signal: AbortSignal.timeout(10000) });
    } catch (err) {
      throw new HttpError(503, 'registry_unavailable', `the registry did not answer: ${(err as Error).message}`);
    }
    if (res.status === 404) throw new HttpError(422, 'unknown_jurisdiction', `${what} is not registered`);
    if (!res.ok) throw new HttpError(502, 'registry_error', `the registry answered ${res.status} for ${what}`);
    return (await res.json()) as T;
  }
  return {
    policy: (j, auth) => get(`/v1/jurisdictions/${encodeURIComponent(j)}/policy`, auth, `jurisdiction "${j}"`),
    async committeeMembers(j, auth) {
      const body = await get<{ items: { id: string; active?: boolean }[] }>(
        `/v1/committee-members?jurisdiction=${encodeURIComponent(j)}`,
        auth,
        `the committee members of "${j}"`,
      );
      return body.items.filter((m) => m.active !== false).map((m) => m.id);
    },
    async groupMembers(j, groupId, auth) {
      const body = await get<{ items: { id: string; groups?: string[] }[] }>(
        `/v1/deputies?jurisdiction=${encodeURIComponent(j)}`,
        auth,
        `the deputies of "${j}"`,
      );
      return body.items.filter((d) => d.groups?.includes(groupId)).map((d) => d.id);
    },
  };
}

export function dutiesRoutes(deps: {
  models: DutiesModels;
  temporal: Client;
  taskQueue: string;
  registry: Registry;
}): RouteSpec[] {
  const { models, temporal, registry } = deps;

  async function update<R, A>(workflowId: string, def: UpdateDefinition<R, [A]>, args: A, p: Principal, key?: string) {
    const handle = temporal.workflow.getHandle(workflowId);
    try {
      return await handle.executeUpdate(def, {
        args: [args],
        ...(key ? { updateId: `${p.sub}:${def.name}:${key}` } : {}),
      });
    } catch (err) {
      throw await updateRejection(err, workflowId, () => handle.describe());
    }
  }
  async function query<S>(workflowId: string, q: QueryDefinition<S>): Promise<S | null> {
    try {
      return await temporal.workflow.getHandle(workflowId).query(q);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  }
  const keyOf = (h: string | undefined) =>
    h === undefined ? undefined : parse(idempotencyKey, h, 'Idempotency-Key header');

  /** Stores a registration once (unique _id); the same body again is a no-op, another body a 409. */
  async function registerOnce<D extends { _id: string }>(
    model: { create(d: D): Promise<unknown>; findById(id: string): { lean(): PromiseLike<unknown> } },
    doc: D,
    same: (stored: D) => boolean,
  ): Promise<boolean> {
    try {
      await model.create(doc);
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const stored = (await model.findById(doc._id).lean()) as D;
      if (!same(stored)) throw new HttpError(409, 'conflict', `${doc._id} is already registered with other details`);
      return false;
    }
  }

  /** Visibility: running duty and case workflows matching a query, for staff views. */
  async function list(queryText: string, limit = 500) {
    const items: Record<string, unknown>[] = [];
    for await (const wf of temporal.workflow.list({ query: queryText })) {
      const sa = wf.searchAttributes as Record<string, unknown[] | undefined>;
      items.push({
        caseId: wf.workflowId,
        kind: sa.CaseKind?.[0] ?? null,
        stage: sa.Stage?.[0] ?? null,
        unit: sa.Unit?.[0] ?? null,
        jurisdiction: sa.Jurisdiction?.[0] ?? null,
        dueAt: sa.DueAt?.[0] ?? null,
        overdue: sa.Overdue?.[0] ?? false,
        atRisk: sa.AtRisk?.[0] ?? false,
      });
      if (items.length >= limit) break;
    }
    return items;
  }
  const quote = (v: string) => `'${v.replace(/'/g, '')}'`;

  return [
    // ---- regulations
    route({
      method: 'post',
      path: '/v1/regulations',
      summary:
        'Staff register a local regulation in force (地方性法规); its implementation report is requested when the policy period is reached. Registering it again changes nothing.',
      roles: STAFF,
      body: z
        .object({
          regulationId: lowerId,
          title: text(2, 300),
          jurisdiction: lowerId,
          unit: lowerId,
          inForceOn: localDate,
        })
        .strict(),
      responses: {
        201: 'Registered; its workflow started',
        200: 'Already registered',
        409: 'Registered with other details',
      },
      handler: async ({ req, body }) => {
        const caseId = regulationCaseId(body.regulationId);
        addContext({ caseId, workflowId: caseId });
        const policy = await registry.policy(body.jurisdiction, req.header('authorization')!);
        const { regulationId, ...rest } = body;
        const created = await registerOnce(
          models.Regulation as never,
          { _id: regulationId, ...rest, caseId, registeredAt: new Date() },
          (s: typeof rest) =>
            s.unit === rest.unit && s.inForceOn === rest.inForceOn && s.jurisdiction === rest.jurisdiction,
        );
        // Started even when the document existed: a crash between the two is finished here.
        await startDutyCase(temporal, deps.taskQueue, {
          kind: 'regulation_report',
          input: {
            caseId,
            regulationId,
            jurisdiction: body.jurisdiction,
            unit: body.unit,
            inForceOn: body.inForceOn,
            policy,
          },
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
        const id = parse(lowerId, params.id, 'regulation id');
        const doc = await models.Regulation.findById(id).lean();
        if (!doc || (principal.role === 'unit' && principal.unit !== doc.unit)) throw notFound(`regulation ${id}`);
        return { body: { ...doc, state: await query(doc.caseId, regulationStateQuery) } };
      },
    }),
    route({
      method: 'post',
      path: '/v1/regulations/:id/report',
      summary: 'The government department files the implementation report (实施情况报告)',
      roles: ['unit'],
      body: z.object({ summary: text() }).strict(),
      responses: ACTION_RESPONSES,
      handler: async ({ req, principal, params, body }) => {
        const id = parse(lowerId, params.id, 'regulation id');
        const state = await update(
          regulationCaseId(id),
          fileRegulationReportUpdate,
          { by: actorOf(principal), summary: body.summary },
          principal,
          keyOf(req.header('idempotency-key')),
        );
        return { body: state };
      },
    }),
    route({
      method: 'post',
      path: '/v1/regulations/:id/review',
      summary: 'Staff review the report: accepted, or returned for a new one',
      roles: ['staff'],
      body: z.object({ decision: z.enum(['accepted', 'returned']), note: text() }).strict(),
      responses: ACTION_RESPONSES,
      handler: async ({ req, principal, params, body }) => {
        const id = parse(lowerId, params.id, 'regulation id');
        const state = await update(
          regulationCaseId(id),
          reviewRegulationReportUpdate,
          { by: actorOf(principal), ...body },
          principal,
          keyOf(req.header('idempotency-key')),
        );
        return { body: state };
      },
    }),

    // ---- appointed department heads
    route({
      method: 'post',
      path: '/v1/appointments',
      summary:
        'Staff register an appointed department head (任命人员) for a term; one performance report is due in it. Registering it again changes nothing.',
      roles: STAFF,
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
      responses: {
        201: 'Registered; its workflow started',
        200: 'Already registered',
        409: 'Registered with other details',
      },
      handler: async ({ req, body }) => {
        const caseId = appointeeCaseId(body.appointmentId);
        addContext({ caseId, workflowId: caseId });
        const policy = await registry.policy(body.jurisdiction, req.header('authorization')!);
        const { appointmentId, ...rest } = body;
        const created = await registerOnce(
          models.Appointment as never,
          { _id: appointmentId, ...rest, caseId, registeredAt: new Date() },
          (s: typeof rest) =>
            s.officialId === rest.officialId && s.unit === rest.unit && s.termStart === rest.termStart,
        );
        await startDutyCase(temporal, deps.taskQueue, {
          kind: 'appointee_report',
          input: { caseId, appointmentId, ...rest, policy },
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
        const items = await list(
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
        const id = parse(lowerId, params.id, 'appointment id');
        const doc = await models.Appointment.findById(id).lean();
        if (!doc || (principal.role === 'unit' && principal.unit !== doc.unit)) throw notFound(`appointment ${id}`);
        return { body: { ...doc, state: await query(doc.caseId, appointeeStateQuery) } };
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
        const id = parse(lowerId, params.id, 'appointment id');
        const doc = await models.Appointment.findById(id).lean();
        if (!doc) throw notFound(`appointment ${id}`);
        const electorate = await registry.committeeMembers(doc.jurisdiction, req.header('authorization')!);
        if (electorate.length === 0)
          throw new HttpError(422, 'no_roster', `no committee members are registered for ${doc.jurisdiction}`);
        const state = await update(
          doc.caseId,
          fileAppointeeReportUpdate,
          { by: actorOf(principal), summary: body.summary, electorate },
          principal,
          keyOf(req.header('idempotency-key')),
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
        const id = parse(lowerId, params.id, 'appointment id');
        const key = keyOf(req.header('idempotency-key'));
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
            body: await update(
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
      roles: STAFF,
      body: z.object({ groupId: lowerId, jurisdiction: lowerId }).strict(),
      responses: { 201: 'Registered; this year started', 200: 'Already registered' },
      handler: async ({ req, body }) => {
        const auth = req.header('authorization')!;
        const year = Number(localDateOf(new Date()).slice(0, 4));
        const policy = await registry.policy(body.jurisdiction, auth);
        const members = await registry.groupMembers(body.jurisdiction, body.groupId, auth);
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
        const id = parse(lowerId, params.id, 'group id');
        const year = parse(z.coerce.number().int().min(2000).max(2200), params.year, 'year');
        const state = await query(groupDutyCaseId(id, year), groupDutyStateQuery);
        if (!state) throw notFound(`${id} in ${year}`);
        return { body: state };
      },
    }),
    route({
      method: 'post',
      path: '/v1/groups/:id/years/:year/records',
      summary: 'A group member or staff record a research report (调研报告) or a supervised suggestion (督办建议)',
      roles: ['staff', 'deputy'],
      body: z
        .object({ duty: z.enum(GROUP_DUTIES), refId: z.string().regex(/^[A-Za-z0-9_.:-]{2,100}$/, 'must be an id') })
        .strict(),
      responses: ACTION_RESPONSES,
      handler: async ({ req, principal, params, body }) => {
        const id = parse(lowerId, params.id, 'group id');
        const year = parse(z.coerce.number().int().min(2000).max(2200), params.year, 'year');
        return {
          body: await update(
            groupDutyCaseId(id, year),
            recordGroupDutyUpdate,
            { by: actorOf(principal), ...body },
            principal,
            keyOf(req.header('idempotency-key')),
          ),
        };
      },
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
          items: await list(
            `Overdue = true AND Unit = ${quote(q.unit)} AND ExecutionStatus = 'Running'${
              q.jurisdiction ? ` AND Jurisdiction = ${quote(q.jurisdiction)}` : ''
            }`,
          ),
        },
      }),
    }),
  ];
}

export function createDutiesApp(cfg: Omit<DutiesConfig, 'LOG_LEVEL'>, logger: Logger) {
  let conn: Connection | undefined;
  let temporalConn: TemporalConnection | undefined;
  let close: (() => Promise<void>) | undefined;
  return {
    port: 0,
    async start() {
      let models: DutiesModels;
      ({ conn, models } = await connectModels(cfg.MONGO_URL, cfg.MONGO_DB, dutiesModels));
      temporalConn = await TemporalConnection.connect({ address: cfg.TEMPORAL_ADDRESS });
      const temporal = new Client({ connection: temporalConn, namespace: cfg.TEMPORAL_NAMESPACE });
      const listening = await startHttpService({
        name: 'duties',
        logger,
        metrics: createMetrics('duties'),
        auth: { secret: cfg.AUTH_JWT_SECRET, issuer: cfg.AUTH_ISSUER },
        routes: dutiesRoutes({
          models,
          temporal,
          taskQueue: cfg.TEMPORAL_TASK_QUEUE,
          registry: registryClient(cfg.REGISTRY_URL),
        }),
        health: {
          mongo: () => mongoHealthy(conn!),
          temporal: async () => (await temporalConn!.healthService.check({})).status === 1,
        },
        port: cfg.HTTP_PORT,
        host: cfg.HTTP_HOST,
      });
      close = listening.close;
      this.port = listening.port;
      return listening.port;
    },
    async stop() {
      await close?.();
      await temporalConn?.close();
      await conn?.close();
    },
  };
}
