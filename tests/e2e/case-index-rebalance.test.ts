// Two replicas of the case index in one consumer group, partitions moving between them in the
// middle of a burst: afterwards every list and every count is exact. The lists are boards kept
// by one writer per board (the boards topic is keyed by board); a rebalance hands a partition
// over while the former owner may still be writing, which the boards' versioned rows and
// compare-and-set writes must survive (docs/case-index.md).
import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  SuggestionAssignedSchema,
  SuggestionClosedSchema,
  SuggestionSubmittedSchema,
  type Envelope,
} from '@duban/proto';
import { TOPICS, buildEnvelope, createEventPublisher, createKafka, type NewEvent } from '@duban/platform';
import { createCaseIndexApp } from '@duban/case-index/src/main';
import { ISSUER, SECRET, boardsSettled, call, eventually, logger, stackEnv, token } from '../support/system';

const run = randomUUID().slice(0, 8);
const J = `rb-${run}`;
const UNITS = Array.from({ length: 6 }, (_, k) => `rb-${run}-unit-${k}`);
const CASES = 150;

function envelope(caseId: string, step: string, body: NewEvent['body'], at: Date): Envelope {
  return buildEnvelope({
    eventId: `${caseId}/${step}`,
    caseId,
    caseKind: 'suggestion',
    jurisdiction: J,
    occurredAt: at,
    producer: 'test',
    workflowId: caseId,
    runId: 'r',
    body,
  });
}

/** Each case: submitted, assigned; every third reassigned to the next unit; every fourth closed. */
function burst(): {
  events: Envelope[];
  open: Map<string, Set<string>>;
  closed: Set<string>;
  stages: Map<string, number>;
} {
  const events: Envelope[] = [];
  const open = new Map(UNITS.map((u) => [u, new Set<string>()]));
  const closed = new Set<string>();
  const stages = new Map<string, number>();
  const t0 = Date.parse('2026-03-01T00:00:00Z');
  for (let n = 0; n < CASES; n++) {
    const id = `suggestion-2026-${run}${String(n).padStart(4, '0')}`;
    const at = (k: number) => new Date(t0 + n * 60_000 + k * 1000);
    let unit = UNITS[n % UNITS.length];
    events.push(
      envelope(
        id,
        'submitted',
        {
          case: 'suggestionSubmitted',
          value: create(SuggestionSubmittedSchema, { deputyId: 'deputy-001', title: `重新平衡 ${n}`, category: 'c' }),
        },
        at(0),
      ),
    );
    const assign = (no: number, lead: string, k: number) =>
      envelope(
        id,
        `assigned/${no}`,
        {
          case: 'suggestionAssigned',
          value: create(SuggestionAssignedSchema, {
            leadUnit: lead,
            coHandlers: [],
            assignedAt: timestampFromDate(at(k)),
            replyDueAt: timestampFromDate(new Date('2026-09-01T00:00:00Z')),
            objectionDueAt: timestampFromDate(new Date('2026-04-01T00:00:00Z')),
            assignmentNo: no,
          }),
        },
        at(k),
      );
    events.push(assign(1, unit, 1));
    if (n % 3 === 0) {
      unit = UNITS[(n + 1) % UNITS.length];
      events.push(assign(2, unit, 2));
    }
    let stage = 'assigned';
    if (n % 4 === 0) {
      events.push(
        envelope(
          id,
          'closed',
          {
            case: 'suggestionClosed',
            value: create(SuggestionClosedSchema, { outcome: 'withdrawn' }),
          },
          at(3),
        ),
      );
      closed.add(id);
      stage = 'closed';
    } else open.get(unit)!.add(id);
    stages.set(stage, (stages.get(stage) ?? 0) + 1);
  }
  return { events, open, closed, stages };
}

it('keeps every list and count exact across a rebalance in the middle of a burst', async () => {
  const env = stackEnv();
  const replica = () =>
    createCaseIndexApp(
      {
        MONGO_URL: env.MONGO_URL,
        MONGO_DB: `duban_rebalance_${run}`,
        KAFKA_BROKERS: env.KAFKA_BROKERS,
        KAFKA_GROUP_ID: `case-index-rebalance-${run}`,
        AUTH_JWT_SECRET: SECRET,
        AUTH_ISSUER: ISSUER,
        HTTP_PORT: 0,
        HTTP_HOST: '127.0.0.1',
      },
      logger,
    );
  const a = replica();
  const b = replica();
  await a.start();
  const publisher = await createEventPublisher(
    createKafka({ brokers: env.KAFKA_BROKERS, clientId: 'test-rebalance', logger }),
  );
  const { events, open, closed, stages } = burst();
  const third = Math.ceil(events.length / 3);
  const send = async (slice: Envelope[]) => {
    // In small groups with pauses: a burst that lasts while the group changes.
    for (let i = 0; i < slice.length; i += 20) {
      await Promise.all(slice.slice(i, i + 20).map((e) => publisher.publish(TOPICS.suggestionEvents.name, e)));
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await send(events.slice(0, third));
    // B joins while the second third is being published: the partitions are split between them.
    await Promise.all([b.start(), send(events.slice(third, 2 * third))]);
    // A leaves while the last third is being published: B takes every partition.
    await Promise.all([a.stop(), send(events.slice(2 * third))]);

    const url = `http://127.0.0.1:${b.port}`;
    const staff = await token({ role: 'staff', sub: 'clerk-1' });
    const expected = [...stages].map(([stage, count]) => ({ kind: 'suggestion', stage, count, overdue: 0 }));
    expected.sort((x, y) => x.stage.localeCompare(y.stage));
    await eventually(
      async () => {
        const r = await call('GET', `${url}/v1/cases/counts?jurisdiction=${J}`, { token: staff });
        return r.status === 200 && JSON.stringify(r.body.items) === JSON.stringify(expected);
      },
      'the counts to reach the burst',
      120_000,
    );
    // The counts are one board's tally; each unit's list is a board of its own, on its own
    // partition of the boards topic, which may still be applying its last changes.
    await boardsSettled({ caseIndexUrl: url });
    const counts = (await call('GET', `${url}/v1/cases/counts?jurisdiction=${J}`, { token: staff })).body;
    expect(counts).toEqual({ items: expected, total: CASES, overdue: 0 });
    for (const u of UNITS) {
      const listed = (await call('GET', `${url}/v1/cases?unit=${u}&closed=false&limit=500`, { token: staff })).body;
      expect(new Set(listed.items.map((v: { caseId: string }) => v.caseId))).toEqual(open.get(u));
      // The unit's own handler sees the same list.
      const own = await token({ role: 'unit', sub: `handler-${u}`, unit: u });
      const mine = (await call('GET', `${url}/v1/cases?closed=false&sort=due&limit=500`, { token: own })).body;
      expect(mine.items.map((v: { caseId: string }) => v.caseId).sort()).toEqual([...open.get(u)!].sort());
    }
    const closedListed = (
      await call('GET', `${url}/v1/cases?jurisdiction=${J}&closed=true&year=2026&limit=500`, { token: staff })
    ).body;
    expect(new Set(closedListed.items.map((v: { caseId: string }) => v.caseId))).toEqual(closed);
    const openListed = (await call('GET', `${url}/v1/cases?jurisdiction=${J}&closed=false&limit=500`, { token: staff }))
      .body;
    expect(openListed.items).toHaveLength(CASES - closed.size);
    // Paging by cursor gives every open case once.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const q = new URLSearchParams({
        jurisdiction: J,
        closed: 'false',
        sort: 'due',
        limit: '17',
        ...(cursor ? { cursor } : {}),
      });
      const page = (await call('GET', `${url}/v1/cases?${q}`, { token: staff })).body;
      paged.push(...page.items.map((v: { caseId: string }) => v.caseId));
      cursor = page.next;
    } while (cursor);
    expect(paged).toHaveLength(CASES - closed.size);
    expect(new Set(paged).size).toBe(paged.length);
  } finally {
    await publisher.disconnect();
    await b.stop();
    await a.stop().catch(() => undefined);
  }
});
