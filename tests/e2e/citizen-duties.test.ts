// The calendar-driven duties over HTTP on the real stack: registering starts each duty's
// workflow once; a regulation past its period is asked for its report at once, filed and
// reviewed; an appointee's report is voted on by the committee roster from the registry, a
// second vote refused; staff see who is still due, and everything overdue for a unit; a deputies'
// group's year records its duties. Each case as the case index shows it over HTTP: view, lists,
// search, counts, timeline, and who may see it.
import { randomUUID } from 'node:crypto';
import {
  call,
  caseCounts,
  caseTimeline,
  eventually,
  expectListed,
  indexedCase,
  startDuties,
  startSystem,
  token,
  type System,
  boardsSettled,
} from '../support/system';

let sys: System;
let app: Awaited<ReturnType<typeof startDuties>>;
let base: string;

beforeAll(async () => {
  sys = await startSystem();
  app = await startDuties(sys);
  base = app.url;
});
afterAll(async () => {
  await app?.stop();
  await sys?.stop();
});

it('registers duties once, takes reports, counts one vote per member, lists who is due and what is overdue', async () => {
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  const tag = randomUUID().slice(0, 6);
  const jurisdiction = `cn-duty-drill-${tag}`;
  const unit = `drill-bureau-${tag}`;
  const unitToken = await token({ role: 'unit', sub: 'handler-1', unit });
  const put = await call('PUT', `${sys.registryUrl}/v1/jurisdictions/${jurisdiction}/policy`, {
    token: staff,
    body: {
      name: 'Duty drill county',
      level: 'county',
      parent: 'cn-zj-demo-city',
      settings: { duties: { appointee: { voteWindow: { amount: 10, unit: 'minutes' } } } },
    },
  });
  expect(put.status).toBe(200);
  for (const m of ['m1', 'm2']) {
    const r = await call('PUT', `${sys.registryUrl}/v1/committee-members/member-${m}-${tag}`, {
      token: staff,
      body: { name: `委员${m}`, jurisdiction },
    });
    expect(r.status).toBe(200);
  }

  // A regulation in force for three years: past the 24-month period, so the report is requested now.
  const regulationId = `reg-${tag}`;
  const reg = { regulationId, title: '示范市物业管理条例', jurisdiction, unit, inForceOn: '2023-03-01' };
  const first = await call('POST', `${base}/v1/regulations`, { token: staff, body: reg });
  expect(first.status).toBe(201);
  const again = await call('POST', `${base}/v1/regulations`, { token: staff, body: reg });
  expect(again.status).toBe(200);
  const other = await call('POST', `${base}/v1/regulations`, {
    token: staff,
    body: { ...reg, inForceOn: '2024-03-01' },
  });
  expect(other.status).toBe(409);
  const requested = await eventually(async () => {
    const r = await call('GET', `${base}/v1/regulations/${regulationId}`, { token: staff });
    return r.body.state?.stage === 'requested' && r.body.state;
  }, 'the report to be requested');
  const edu = await token({ role: 'unit', sub: 'h', unit: 'edu-bureau' });
  const wrong = await call('POST', `${base}/v1/regulations/${regulationId}/report`, {
    token: edu,
    body: { summary: '不是我们的。' },
  });
  expect(wrong.status).toBe(403);

  // The case index: the unit's report is requested, by its date.
  const regulationCase = `regulation-report-${regulationId}`;
  const asked = await indexedCase(sys, unitToken, regulationCase, (v) => v.stage === 'requested');
  expect(asked).toMatchObject({
    kind: 'regulation_report',
    jurisdiction,
    title: `法规实施情况报告 · ${regulationId}`,
    subjectId: regulationId,
    units: [unit],
    dueAt: requested.reportDueAt,
    overdue: false,
    closed: false,
  });
  await expectListed(sys, asked, { staff, unit: { token: unitToken, id: unit }, outsider: edu });
  expect(
    (
      await call('POST', `${base}/v1/regulations/${regulationId}/report`, {
        token: unitToken,
        body: { summary: '条例实施情况报告。' },
      })
    ).status,
  ).toBe(200);
  // The index follows the report: filed, answered, waiting for review.
  const filed = await indexedCase(sys, unitToken, regulationCase, (v) => v.stage === 'filed');
  expect(filed.parts).toMatchObject([{ unit, answered: true, overdue: false }]);
  const reviewed = await call('POST', `${base}/v1/regulations/${regulationId}/review`, {
    token: staff,
    body: { decision: 'accepted', note: '报告完整。' },
  });
  expect(reviewed.status).toBe(200);
  await eventually(async () => {
    const r = await call('GET', `${base}/v1/regulations/${regulationId}`, { token: staff });
    return r.body.state?.stage === 'closed';
  }, 'the regulation case to close');
  const accepted = await indexedCase(sys, unitToken, regulationCase, (v) => v.closed);
  expect(accepted).toMatchObject({ stage: 'closed', closedOutcome: 'accepted', overdue: false });
  expect((await caseTimeline(sys, staff, regulationCase)).map((e) => [e.type, e.actor])).toEqual([
    ['RegulationRegistered', 'system'],
    ['RegulationReportRequested', 'system'],
    ['RegulationReportFiled', `unit:handler-1/${unit}`],
    ['RegulationReportReviewed', 'staff:clerk-1'],
    ['RegulationReportClosed', 'system'],
  ]);

  // Two appointees: one reports and is voted on; one's term ends in 6 months with no report (flagged).
  const appt = { officialId: `official-${tag}`, unit, jurisdiction, termStart: '2026-01-15' };
  const a1 = await call('POST', `${base}/v1/appointments`, {
    token: staff,
    body: { appointmentId: `appt-a-${tag}`, ...appt },
  });
  expect(a1.status).toBe(201);
  const soon = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
  const a2 = await call('POST', `${base}/v1/appointments`, {
    token: staff,
    body: {
      appointmentId: `appt-b-${tag}`,
      ...appt,
      officialId: `official-b-${tag}`,
      termStart: '2021-06-01',
      termEnd: soon,
    },
  });
  expect(a2.status).toBe(201);
  const due = await eventually(async () => {
    const r = await call('GET', `${base}/v1/appointments/due?jurisdiction=${jurisdiction}`, { token: staff });
    return r.body.items?.length === 2 && r.body.items;
  }, 'both appointees listed as still due');
  expect(due.map((i: { caseId: string }) => i.caseId).sort()).toEqual([
    `appointee-report-appt-a-${tag}`,
    `appointee-report-appt-b-${tag}`,
  ]);

  expect(
    (
      await call('POST', `${base}/v1/appointments/appt-a-${tag}/report`, {
        token: unitToken,
        body: { summary: '任期履职报告。' },
      })
    ).status,
  ).toBe(200);
  const vote = (m: string, choice: string) =>
    token({ role: 'deputy', sub: `member-${m}-${tag}` }).then((t) =>
      call('POST', `${base}/v1/appointments/appt-a-${tag}/votes`, { token: t, body: { choice } }),
    );
  const firstVote = await vote('m1', 'satisfied');
  expect(firstVote.body.error?.message ?? 'ok').toBe('ok');
  expect(firstVote.status).toBe(200);
  const second = await vote('m1', 'unsatisfied');
  expect(second.status).toBe(409);
  expect(second.body.error.message).toMatch(/already voted/);
  const outsider = await call('POST', `${base}/v1/appointments/appt-a-${tag}/votes`, {
    token: await token({ role: 'deputy', sub: 'deputy-001' }),
    body: { choice: 'satisfied' },
  });
  expect(outsider.status).toBe(403);
  expect((await vote('m2', 'basicallySatisfied')).status).toBe(200);
  const tallied = await eventually(async () => {
    const r = await call('GET', `${base}/v1/appointments/appt-a-${tag}`, { token: staff });
    return r.body.state?.stage === 'closed' && r.body.state;
  }, 'the vote to be tallied');
  expect(tallied.closedOutcome).toBe('passed');
  expect(tallied.votes).toEqual({ [`member-m1-${tag}`]: 'satisfied', [`member-m2-${tag}`]: 'basicallySatisfied' });

  // The index: the report voted on and passed, the official its subject; the other appointee's
  // missing report flagged.
  const passed = await indexedCase(sys, unitToken, `appointee-report-appt-a-${tag}`, (v) => v.closed);
  expect(passed).toMatchObject({
    kind: 'appointee_report',
    jurisdiction,
    stage: 'closed',
    closedOutcome: 'passed',
    satisfaction: 'satisfied',
    title: `任命人员履职报告 · official-${tag}`,
    subjectId: `official-${tag}`,
    units: [unit],
    overdue: false,
  });
  await expectListed(sys, passed, { staff, unit: { token: unitToken, id: unit }, outsider: edu });
  expect((await caseTimeline(sys, staff, `appointee-report-appt-a-${tag}`)).map((e) => e.type)).toEqual([
    'AppointeeRegistered',
    'AppointeeReportFiled',
    'AppointeeVoteCast',
    'AppointeeVoteCast',
    'AppointeeVoteTallied',
    'AppointeeReportClosed',
  ]);
  const missing = await indexedCase(sys, staff, `appointee-report-appt-b-${tag}`, (v) => v.overdue);
  expect(missing).toMatchObject({
    stage: 'registered',
    // Due by the end of the term.
    dueAt: new Date(`${soon}T23:59:59.999+08:00`).toISOString(),
    subjectId: `official-b-${tag}`,
    units: [unit],
    closed: false,
  });
  await expectListed(sys, missing, { staff, unit: { token: unitToken, id: unit }, outsider: edu });
  await boardsSettled(sys);
  const flagged = await call('GET', `${sys.caseIndexUrl}/v1/cases?flagged=true&unit=${unit}`, { token: unitToken });
  expect(flagged.body.items.map((v: { caseId: string }) => v.caseId)).toEqual([`appointee-report-appt-b-${tag}`]);

  // Everything overdue for the unit, of every kind: the flagged appointee.
  const overdue = await eventually(async () => {
    const r = await call('GET', `${base}/v1/overdue?unit=${unit}`, { token: staff });
    return r.body.items?.length === 1 && r.body.items;
  }, 'the flagged appointee among the overdue');
  expect(overdue[0]).toMatchObject({
    caseId: `appointee-report-appt-b-${tag}`,
    kind: 'appointee_report',
    atRisk: true,
  });
  const stillDue = await call('GET', `${base}/v1/appointments/due?jurisdiction=${jurisdiction}`, { token: staff });
  expect(stillDue.body.items.map((i: { caseId: string }) => i.caseId)).toEqual([`appointee-report-appt-b-${tag}`]);

  // A deputies' group: registering starts this year's case; a member records a research report.
  const groupId = `group-${tag}`;
  const member = `gd-${tag}`;
  expect(
    (
      await call('PUT', `${sys.registryUrl}/v1/deputies/${member}`, {
        token: staff,
        body: { name: '小组代表', jurisdiction, groups: [groupId] },
      })
    ).status,
  ).toBe(200);
  const group = await call('POST', `${base}/v1/groups`, { token: staff, body: { groupId, jurisdiction } });
  expect(group.status).toBe(201);
  expect(group.body.members).toEqual([member]);
  const groupCase: string = group.body.caseId;
  const year: number = group.body.year;
  const groupUrl = `${base}/v1/groups/${groupId}/years/${year}`;
  const yearState = await eventually(async () => {
    const r = await call('GET', groupUrl, { token: staff });
    return r.status === 200 && r.body.flagAt && r.body;
  }, 'the group year to start');
  // The missing duties are flagged at flagAt (1 December by default): whether yet depends on today.
  const flaggedNow = Date.parse(yearState.flagAt) <= Date.now();
  const started = await indexedCase(sys, staff, groupCase, (v) => v.overdue === flaggedNow);
  expect(started).toMatchObject({
    kind: 'group_duty',
    dueAt: yearState.yearEndsAt,
    jurisdiction,
    stage: 'yearStarted',
    title: `代表小组履职 · ${groupId}`,
    subjectId: groupId,
    year,
    units: [],
    closed: false,
  });
  await expectListed(sys, started, { staff, outsider: unitToken });
  const recorded = await call('POST', `${groupUrl}/records`, {
    token: await token({ role: 'deputy', sub: member }),
    body: { duty: 'researchReport', refId: `report-${tag}` },
  });
  expect(recorded.status).toBe(200);
  const types = ['GroupDutyYearStarted', ...(flaggedNow ? ['GroupDutyMissing'] : []), 'GroupDutyRecorded'];
  await eventually(
    async () => (await caseTimeline(sys, staff, groupCase)).map((e) => e.type).join() === types.join(),
    'the record on the group year’s timeline',
  );

  // Everything of the jurisdiction, counted by kind and stage.
  expect(await caseCounts(sys, staff, { jurisdiction })).toEqual({
    items: [
      { kind: 'appointee_report', stage: 'closed', count: 1, overdue: 0 },
      { kind: 'appointee_report', stage: 'registered', count: 1, overdue: 1 },
      { kind: 'group_duty', stage: 'yearStarted', count: 1, overdue: flaggedNow ? 1 : 0 },
      { kind: 'regulation_report', stage: 'closed', count: 1, overdue: 0 },
    ],
    total: 4,
    overdue: flaggedNow ? 2 : 1,
  });
});
