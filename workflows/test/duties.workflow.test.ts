// The calendar-driven duties on the time-skipping test server: a regulation reaching its
// period, an appointee's report and the members' vote, a professional group's year — happy
// paths, each deadline, each refusal.
import { randomUUID } from 'node:crypto';
import type { Duration } from '@temporalio/common';
import { localDateOf, type EffectivePolicy } from '@duban/domain';
import type { Envelope } from '@duban/proto';
import {
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
  type AppointeeReportState,
  type GroupDutyState,
  type RegulationReportState,
} from '../src';
import { createHarness, refusal, typesOf, type Harness } from './support/case-driver';
import { testPolicy } from '../../tests/support/policy';

jest.setTimeout(120_000);

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.teardown();
});

const policy: EffectivePolicy = testPolicy();
const DAY = 86_400_000;
const staff: Actor = { role: 'staff', sub: 'clerk-1' };
const justice: Actor = { role: 'unit', sub: 'handler-j', unit: 'justice-bureau' };
const edu: Actor = { role: 'unit', sub: 'handler-e', unit: 'edu-bureau' };
const member = (id: string): Actor => ({ role: 'deputy', sub: id });

async function localToday(): Promise<string> {
  return localDateOf(new Date(await h.env.currentTimeMs()));
}
function monthsBefore(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 - n, Math.min(d, 28)));
  return t.toISOString().slice(0, 10);
}
async function until<S extends { stage: string }>(
  read: () => Promise<S>,
  ok: (s: S) => boolean,
  step: Duration = '1 day',
): Promise<S> {
  for (let i = 0; i < 3000; i++) {
    const s = await read().catch(() => undefined);
    if (s && ok(s)) return s;
    await h.env.sleep(step);
  }
  throw new Error(`never got there; stage ${(await read()).stage}`);
}
const bodyOf = (e: Envelope) => e.body.value as unknown as Record<string, unknown>;

describe('a regulation reaching its period', () => {
  test('the report is requested after 24 months in force, filed, returned, late the second time, accepted', async () => {
    const regulationId = `reg-${randomUUID().slice(0, 8)}`;
    const caseId = regulationCaseId(regulationId);
    // In force for 23 months: one month to go.
    const inForceOn = monthsBefore(await localToday(), 23);
    const input = { caseId, regulationId, jurisdiction: 'cn-test-city', unit: 'justice-bureau', inForceOn, policy };
    expect(await startDutyCase(h.env.client, h.taskQueue, { kind: 'regulation_report', input })).toBe(true);
    // Registering it again starts nothing.
    expect(await startDutyCase(h.env.client, h.taskQueue, { kind: 'regulation_report', input })).toBe(false);
    const w = h.env.client.workflow.getHandle(caseId);
    const read = () => w.query(regulationStateQuery) as Promise<RegulationReportState>;

    const waiting = await until(read, (s) => s.stage === 'inForce' && !!s.requestAt, '1 second');
    const monthsInForce = (Date.parse(waiting.requestAt) - Date.parse(`${inForceOn}T00:00:00+08:00`)) / DAY;
    expect(monthsInForce).toBeGreaterThanOrEqual(730);
    expect(monthsInForce).toBeLessThan(740);
    expect((await w.describe()).searchAttributes.Stage).toEqual(['inForce']);
    expect(
      await refusal(w.executeUpdate(fileRegulationReportUpdate, { args: [{ by: justice, summary: '提前报告。' }] })),
    ).toBe('StageConflict');

    const requested = await until(read, (s) => s.stage === 'requested');
    expect(Date.parse(requested.reportDueAt!) - (await h.env.currentTimeMs())).toBeGreaterThanOrEqual(29 * DAY);
    const req = h.published.find((e) => e.caseId === caseId && e.type === 'RegulationReportRequested')!;
    expect(bodyOf(req)).toMatchObject({ regulationId, unit: 'justice-bureau', round: 1 });

    expect(
      await refusal(w.executeUpdate(fileRegulationReportUpdate, { args: [{ by: edu, summary: '实施情况报告。' }] })),
    ).toBe('NotYourCase');
    expect(
      await refusal(
        w.executeUpdate(reviewRegulationReportUpdate, { args: [{ by: staff, decision: 'accepted', note: '好' }] }),
      ),
    ).toBe('StageConflict');
    await h.env.sleep('10 days');
    const filed = await w.executeUpdate(fileRegulationReportUpdate, {
      args: [{ by: justice, summary: '实施情况报告。' }],
    });
    expect(filed.reports[0].onTime).toBe(true);
    expect(
      await refusal(
        w.executeUpdate(reviewRegulationReportUpdate, { args: [{ by: justice, decision: 'accepted', note: '自评' }] }),
      ),
    ).toBe('NotYourCase');
    expect(
      await refusal(
        w.executeUpdate(reviewRegulationReportUpdate, {
          args: [{ by: staff, decision: 'maybe' as never, note: '再看看' }],
        }),
      ),
    ).toBe('InvalidInput');
    await w.executeUpdate(reviewRegulationReportUpdate, {
      args: [{ by: staff, decision: 'returned', note: '数据不全，请补充。' }],
    });

    // Round 2: nobody files in time.
    const second = await until(read, (s) => s.round === 2 && s.overdue);
    expect(second.stage).toBe('requested');
    expect((await w.describe()).searchAttributes.Overdue).toEqual([true]);
    const late = await w.executeUpdate(fileRegulationReportUpdate, {
      args: [{ by: justice, summary: '补充后的报告。' }],
    });
    expect(late.reports[1].onTime).toBe(false);
    await w.executeUpdate(reviewRegulationReportUpdate, {
      args: [{ by: staff, decision: 'accepted', note: '同意。' }],
    });
    const done = (await w.result()) as RegulationReportState;
    expect(done.closedOutcome).toBe('accepted');
    expect(typesOf(h.published, caseId)).toEqual([
      'RegulationRegistered',
      'RegulationReportRequested',
      'RegulationReportFiled',
      'RegulationReportReviewed',
      'RegulationReportRequested',
      'RegulationReportOverdue',
      'RegulationReportFiled',
      'RegulationReportReviewed',
      'RegulationReportClosed',
    ]);
  });

  test('an unreviewed report is flagged overdue for the committee', async () => {
    const regulationId = `reg-${randomUUID().slice(0, 8)}`;
    const caseId = regulationCaseId(regulationId);
    const inForceOn = monthsBefore(await localToday(), 30); // past the period already: requested at once
    await startDutyCase(h.env.client, h.taskQueue, {
      kind: 'regulation_report',
      input: { caseId, regulationId, jurisdiction: 'cn-test-city', unit: 'justice-bureau', inForceOn, policy },
    });
    const w = h.env.client.workflow.getHandle(caseId);
    const read = () => w.query(regulationStateQuery) as Promise<RegulationReportState>;
    await until(read, (s) => s.stage === 'requested', '1 hour');
    await w.executeUpdate(fileRegulationReportUpdate, { args: [{ by: justice, summary: '报告。' }] });
    const s = await until(read, (x) => x.reviewOverdue);
    expect(s.stage).toBe('underReview');
    expect((await w.describe()).searchAttributes.Overdue).toEqual([true]);
    await w.terminate('test done');
  });
});

describe("an appointed head's report in the term", () => {
  async function startAppointee(termEnd?: string) {
    const appointmentId = `appt-${randomUUID().slice(0, 8)}`;
    const caseId = appointeeCaseId(appointmentId);
    await startDutyCase(h.env.client, h.taskQueue, {
      kind: 'appointee_report',
      input: {
        caseId,
        appointmentId,
        officialId: 'official-edu-director',
        unit: 'edu-bureau',
        jurisdiction: 'cn-test-city',
        termStart: await localToday(),
        ...(termEnd ? { termEnd } : {}),
        policy,
      },
    });
    const w = h.env.client.workflow.getHandle(caseId);
    return { caseId, w, read: () => w.query(appointeeStateQuery) as Promise<AppointeeReportState> };
  }

  test('the report opens a vote; each member votes once; the tally passes', async () => {
    const { caseId, w, read } = await startAppointee();
    const s0 = await until(read, (s) => !!s.flagAt, '1 second');
    // A five-year term, flagged a year before it ends.
    expect((Date.parse(s0.termEndsAt) - (await h.env.currentTimeMs())) / DAY).toBeGreaterThan(5 * 365 - 3);
    expect((Date.parse(s0.termEndsAt) - Date.parse(s0.flagAt)) / DAY).toBeGreaterThanOrEqual(360);
    expect(
      await refusal(w.executeUpdate(appointeeVoteUpdate, { args: [{ by: member('m1'), choice: 'satisfied' }] })),
    ).toBe('StageConflict');
    expect(
      await refusal(
        w.executeUpdate(fileAppointeeReportUpdate, {
          args: [{ by: justice, summary: '履职报告。', electorate: ['m1'] }],
        }),
      ),
    ).toBe('NotYourCase');
    await h.env.sleep('400 days');
    await w.executeUpdate(fileAppointeeReportUpdate, {
      args: [{ by: edu, summary: '履职情况报告。', electorate: ['m1', 'm2', 'm3'] }],
    });
    expect(
      await refusal(
        w.executeUpdate(fileAppointeeReportUpdate, { args: [{ by: edu, summary: '再报一次。', electorate: ['m1'] }] }),
      ),
    ).toBe('StageConflict');
    await until(read, (s) => !!s.voteDueAt, '1 second');
    await w.executeUpdate(appointeeVoteUpdate, { args: [{ by: member('m1'), choice: 'satisfied' }] });
    // A second vote by one member: refused, nothing changed.
    expect(
      await refusal(w.executeUpdate(appointeeVoteUpdate, { args: [{ by: member('m1'), choice: 'unsatisfied' }] })),
    ).toBe('AlreadyVoted');
    expect((await read()).votes).toEqual({ m1: 'satisfied' });
    expect(
      await refusal(w.executeUpdate(appointeeVoteUpdate, { args: [{ by: member('m9'), choice: 'satisfied' }] })),
    ).toBe('NotYourCase');
    await w.executeUpdate(appointeeVoteUpdate, { args: [{ by: member('m2'), choice: 'unsatisfied' }] });
    await w.executeUpdate(appointeeVoteUpdate, { args: [{ by: member('m3'), choice: 'basicallySatisfied' }] });
    const done = (await w.result()) as AppointeeReportState;
    expect(done.tally).toEqual({
      satisfied: 1,
      basicallySatisfied: 1,
      unsatisfied: 1,
      roster: 3,
      quorum: true,
      passed: true,
    });
    expect(done.closedOutcome).toBe('passed');
    expect(typesOf(h.published, caseId)).toEqual([
      'AppointeeRegistered',
      'AppointeeReportFiled',
      'AppointeeVoteCast',
      'AppointeeVoteCast',
      'AppointeeVoteCast',
      'AppointeeVoteTallied',
      'AppointeeReportClosed',
    ]);
  });

  test('a vote window ending with too few votes has no quorum', async () => {
    const { w, read } = await startAppointee();
    await until(read, (s) => !!s.flagAt, '1 second');
    await w.executeUpdate(fileAppointeeReportUpdate, {
      args: [{ by: edu, summary: '履职情况报告。', electorate: ['m1', 'm2', 'm3'] }],
    });
    await until(read, (s) => !!s.voteDueAt, '1 second');
    await w.executeUpdate(appointeeVoteUpdate, { args: [{ by: member('m1'), choice: 'satisfied' }] });
    const done = await until(read, (s) => s.stage === 'closed');
    expect(done.closedOutcome).toBe('noQuorum');
    expect(done.tally).toMatchObject({ quorum: false, passed: false, roster: 3 });
    expect(
      await refusal(w.executeUpdate(appointeeVoteUpdate, { args: [{ by: member('m2'), choice: 'satisfied' }] })),
    ).not.toBe('accepted');
  });

  test('no report late in the term is flagged; the term ends without one', async () => {
    const [y, m, d] = (await localToday()).split('-').map(Number);
    const termEnd = new Date(Date.UTC(y, m - 1 + 14, d)).toISOString().slice(0, 10); // 14 months left
    const { caseId, w, read } = await startAppointee(termEnd);
    const flagged = await until(read, (s) => s.flagged);
    expect(flagged.stage).toBe('due');
    const desc = await w.describe();
    expect(desc.searchAttributes.AtRisk).toEqual([true]);
    expect(desc.searchAttributes.Overdue).toEqual([true]);
    // Flagged about a year before the term ends (the flag day moves to a working day).
    const left = (Date.parse(flagged.termEndsAt) - (await h.env.currentTimeMs())) / DAY;
    expect(left).toBeGreaterThan(355);
    expect(left).toBeLessThanOrEqual(372);
    const done = (await w.result()) as AppointeeReportState;
    expect(done.closedOutcome).toBe('termEndedWithoutReport');
    expect(typesOf(h.published, caseId)).toEqual([
      'AppointeeRegistered',
      'AppointeeReportMissing',
      'AppointeeReportClosed',
    ]);
  });
});

describe("a deputy professional group's year", () => {
  test('a missing duty is flagged before the year ends; the year closes complete and the next one starts', async () => {
    const groupId = `group-${randomUUID().slice(0, 6)}`;
    const year = Number((await localToday()).slice(0, 4));
    const caseId = groupDutyCaseId(groupId, year);
    await startDutyCase(h.env.client, h.taskQueue, {
      kind: 'group_duty',
      input: { caseId, groupId, jurisdiction: 'cn-test-city', year, members: ['deputy-001'], policy },
    });
    const w = h.env.client.workflow.getHandle(caseId);
    const read = () => w.query(groupDutyStateQuery) as Promise<GroupDutyState>;
    const s0 = await until(read, (s) => !!s.flagAt, '1 second');
    expect(s0.flagAt < s0.yearEndsAt).toBe(true);
    expect(localDateOf(new Date(s0.yearEndsAt))).toBe(`${year}-12-31`);

    expect(
      await refusal(
        w.executeUpdate(recordGroupDutyUpdate, {
          args: [{ by: member('deputy-002'), duty: 'researchReport', refId: 'rpt-1' }],
        }),
      ),
    ).toBe('NotYourCase');
    await w.executeUpdate(recordGroupDutyUpdate, {
      args: [{ by: member('deputy-001'), duty: 'researchReport', refId: 'rpt-1' }],
    });
    expect(
      await refusal(
        w.executeUpdate(recordGroupDutyUpdate, { args: [{ by: staff, duty: 'researchReport', refId: 'rpt-1' }] }),
      ),
    ).toBe('StageConflict');
    expect(
      await refusal(
        w.executeUpdate(recordGroupDutyUpdate, { args: [{ by: staff, duty: 'holiday' as never, refId: 'x-1' }] }),
      ),
    ).toBe('InvalidInput');

    const flagged = await until(read, (s) => s.flagged);
    expect(flagged.stage).toBe('missing');
    expect(flagged.missing).toEqual(['supervisedSuggestion']);
    const missingEvent = h.published.find((e) => e.caseId === caseId && e.type === 'GroupDutyMissing')!;
    expect(bodyOf(missingEvent).missing).toEqual(['supervisedSuggestion']);
    expect((await h.env.currentTimeMs()) < Date.parse(s0.yearEndsAt)).toBe(true);

    await w.executeUpdate(recordGroupDutyUpdate, {
      args: [{ by: staff, duty: 'supervisedSuggestion', refId: 'suggestion-2026-0001' }],
    });
    expect((await read()).stage).toBe('complete');
    const done = (await w.result()) as GroupDutyState;
    expect(done.nextCaseId).toBe(groupDutyCaseId(groupId, year + 1));
    const closed = h.published.find((e) => e.caseId === caseId && e.type === 'GroupDutyYearClosed')!;
    expect(bodyOf(closed)).toMatchObject({ complete: true, year });
    const next = h.env.client.workflow.getHandle(done.nextCaseId!);
    const nextState = await until(
      () => next.query(groupDutyStateQuery) as Promise<GroupDutyState>,
      (s) => !!s.flagAt,
      '1 second',
    );
    expect(nextState.year).toBe(year + 1);
    expect((await next.describe()).searchAttributes.CycleYear).toEqual([year + 1]);
    await next.terminate('test done');
  });
});
