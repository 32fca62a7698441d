// A review opinion (审议意见) with three items over real HTTP, the real Temporal dev server,
// Kafka and FerretDB, in a drill county whose windows are minutes: the education bureau's two
// items are closed by staff with evidence, its report passes the members' vote (one vote each);
// the transport bureau's item goes overdue (the operators' cross-kind query finds it), its report
// is poor twice and it climbs the escalation ladder to the inquiry, which members file, then to
// the investigation, whose report starts a resolution; the ladder runs out and the opinion closes
// with its last part. A supervision plan's item starts a review opinion at its session. Each case
// is checked in the case index, as its events tell it, over HTTP: view, lists, search, counts,
// timeline, and who may see it.
import { randomUUID } from 'node:crypto';
import { TOPICS, createKafka, decodeEnvelope } from '@duban/platform';
import {
  call,
  caseCounts,
  caseTimeline,
  eventually,
  expectListed,
  indexedCase,
  logger,
  stackEnv,
  startSystem,
  token,
  type System,
} from '../support/system';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const minutes = (amount: number) => ({ amount, unit: 'minutes' });

function drillPolicy() {
  return {
    name: 'Drill county (minute windows)',
    level: 'county',
    parent: 'cn-zj-demo-city',
    settings: {
      oversight: {
        reviewOpinion: {
          itemWindow: minutes(10),
          handlingReportWindow: minutes(10),
          voteWindow: minutes(5),
          reReportWindow: minutes(10),
          escalationSteps: [
            { step: 'publicBulletin', window: minutes(10), owner: 'committee-staff' },
            { step: 'specialSupervision', window: minutes(10), owner: 'supervising-committee' },
            { step: 'inquiry', window: minutes(10), owner: 'committee-members' },
            { step: 'investigation', window: minutes(10), owner: 'standing-committee' },
          ],
        },
      },
    },
  };
}

it('runs a review opinion with three items: two closed with a passed vote, one escalated to an inquiry', async () => {
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  const edu = await token({ role: 'unit', sub: 'handler-1', unit: 'edu-bureau' });
  const transport = await token({ role: 'unit', sub: 'handler-2', unit: 'transport-bureau' });
  const tag = randomUUID().slice(0, 6);
  const jurisdiction = `cn-drill-${tag}`;
  const members = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => `m-${tag}-${String(n).padStart(2, '0')}`);
  const memberTokens = await Promise.all(members.map((sub) => token({ role: 'deputy', sub })));
  const outsider = await token({ role: 'deputy', sub: `m-${tag}-outsider` });

  expect(
    (
      await call('PUT', `${sys.registryUrl}/v1/jurisdictions/${jurisdiction}/policy`, {
        token: staff,
        body: drillPolicy(),
      })
    ).status,
  ).toBe(200);
  for (const id of members)
    expect(
      (
        await call('PUT', `${sys.registryUrl}/v1/committee-members/${id}`, {
          token: staff,
          body: { name: `委员 ${id}`, jurisdiction, position: 'member' },
        })
      ).status,
    ).toBe(200);
  const roster = await call('GET', `${sys.registryUrl}/v1/committee-members?jurisdiction=${jurisdiction}`, {
    token: staff,
  });
  expect(roster.body.items.map((m: { id: string }) => m.id)).toEqual(members);

  // 1. Staff record the opinions: three items, two units; a retry with the same key is the same case.
  const overdueSoon = new Date(Date.now() + 8000).toISOString();
  const opinion = {
    jurisdiction,
    title: '关于全市义务教育均衡发展和交通治理情况报告的审议意见',
    items: [
      { list: 'issue', description: '城乡学校师资配置不均衡', unit: 'edu-bureau' },
      { list: 'supervision', description: '校舍安全隐患排查整改', unit: 'edu-bureau' },
      { list: 'issue', description: '学校周边交通拥堵治理', unit: 'transport-bureau', dueAt: overdueSoon },
    ],
  };
  const key = { 'idempotency-key': `opinion-${tag}` };
  // An item for a unit that is not in the registry: refused, naming it, and nothing is opened.
  const unknownUnit = await call('POST', `${sys.oversightUrl}/v1/review-opinions`, {
    token: staff,
    body: { ...opinion, items: [...opinion.items, { list: 'issue', description: '无人可答', unit: 'no-such-bureau' }] },
  });
  expect(unknownUnit.status).toBe(422);
  expect(unknownUnit.body.error).toMatchObject({ code: 'unknown_unit' });
  expect(unknownUnit.body.error.message).toContain('"no-such-bureau"');
  const created = await call('POST', `${sys.oversightUrl}/v1/review-opinions`, {
    token: staff,
    body: opinion,
    headers: key,
  });
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  expect(caseId).toMatch(/^review-opinion-\d{4}-\d{4,}$/);
  expect(created.body.units).toEqual(['edu-bureau', 'transport-bureau']);
  const again = await call('POST', `${sys.oversightUrl}/v1/review-opinions`, {
    token: staff,
    body: opinion,
    headers: key,
  });
  expect(again.status).toBe(200);
  expect(again.body.caseId).toBe(caseId);
  const url = `${sys.oversightUrl}/v1/review-opinions/${caseId}`;
  const post = (path: string, tok: string, body: unknown) => call('POST', `${url}/${path}`, { token: tok, body });
  const part = async (unit: string) =>
    (await call('GET', url, { token: staff })).body.tracks.find((t: { unit: string }) => t.unit === unit).state;
  await eventually(async () => (await part('edu-bureau'))?.items.length === 2, 'the education part to open');

  // 2. Item by item: the unit reports done with evidence; it cannot close its own item; staff confirm.
  for (const itemId of ['1', '2']) {
    const fb = await post(`items/${itemId}/feedback`, edu, {
      progress: '已完成整改并提交佐证材料',
      done: true,
      evidence: [`教育局整改报告第${itemId}号`],
    });
    expect(fb.status).toBe(200);
    expect((await post(`items/${itemId}/confirmation`, edu, { confirm: true, note: '已完成' })).status).toBe(403);
    const ok = await post(`items/${itemId}/confirmation`, staff, {
      confirm: true,
      note: '经核查同意销号',
      evidence: ['现场核查记录'],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.state.items.find((i: { itemId: string }) => i.itemId === itemId).closure.evidence).toEqual([
      `教育局整改报告第${itemId}号`,
      '现场核查记录',
    ]);
  }
  // Another unit cannot act on the education bureau's items; staff cannot close an open item.
  expect((await post('items/1/feedback', transport, { progress: '不是我们的', done: false })).status).toBe(403);
  expect((await post('items/3/confirmation', staff, { confirm: true, note: '直接销号' })).status).toBe(409);

  // 3. The education bureau's report and the members' vote: one vote per member.
  expect((await post('units/edu-bureau/report', edu, { summary: '关于审议意见研究处理情况的报告' })).status).toBe(200);
  expect((await post('units/edu-bureau/vote/open', staff, {})).status).toBe(200);
  expect((await post('units/edu-bureau/vote', memberTokens[0], { vote: 'satisfied' })).status).toBe(200);
  const twice = await post('units/edu-bureau/vote', memberTokens[0], { vote: 'unsatisfied' });
  expect(twice.status).toBe(409);
  expect(twice.body.error.message).toMatch(/already voted/);
  expect((await post('units/edu-bureau/vote', outsider, { vote: 'unsatisfied' })).status).toBe(403);
  // The other nine vote too (the vote closes when every member has voted): 6 of 10 satisfied or basically.
  for (const [i, vote] of [
    'basicallySatisfied',
    'unsatisfied',
    'satisfied',
    'satisfied',
    'unsatisfied',
    'satisfied',
    'unsatisfied',
    'unsatisfied',
    'basicallySatisfied',
  ].entries())
    expect((await post('units/edu-bureau/vote', memberTokens[i + 1], { vote })).status).toBe(200);
  const eduDone = await eventually(async () => {
    const s = await part('edu-bureau');
    return s?.stage === 'closed' && s;
  }, 'the education part to close');
  expect(eduDone.closedOutcome).toBe('completed');
  expect(eduDone.votes[0].result).toMatchObject({ satisfied: 4, basicallySatisfied: 2, unsatisfied: 4, passed: true });

  // 4. The transport item goes overdue: the operators' one query finds it, of every kind.
  await eventually(async () => (await part('transport-bureau'))?.items[0].overdue, 'the transport item to go overdue');
  const overdueForUnit = await eventually(async () => {
    const ids: string[] = [];
    for await (const wf of sys.temporal.workflow.list({
      query: `Overdue = true AND Unit = 'transport-bureau' AND Jurisdiction = '${jurisdiction}' AND ExecutionStatus = 'Running'`,
    }))
      ids.push(wf.workflowId);
    return ids.length > 0 && ids;
  }, 'the overdue query to find the transport part');
  expect(overdueForUnit).toEqual([`${caseId}.transport-bureau`]);

  // The case index: one case of two unit parts, the education part closed, the transport one late.
  const health = await token({ role: 'unit', sub: 'handler-3', unit: 'health-commission' });
  const halfDone = await indexedCase(sys, edu, caseId, (v) => v.parts.some((p: any) => p.closed) && v.overdue);
  expect(halfDone).toMatchObject({
    caseId,
    kind: 'review_opinion',
    jurisdiction,
    closed: false,
    overdue: true,
    satisfaction: 'satisfied',
  });
  expect([...halfDone.units].sort()).toEqual(['edu-bureau', 'transport-bureau']);
  expect(halfDone.title).toBe(`审议意见 · ${halfDone.units.join('、')}`);
  const partOf = (v: any, unit: string) => v.parts.find((p: { unit: string }) => p.unit === unit);
  expect(halfDone.parts).toHaveLength(2);
  expect(partOf(halfDone, 'edu-bureau')).toMatchObject({ closed: true, stage: 'closed', overdue: false });
  expect(partOf(halfDone, 'transport-bureau')).toMatchObject({
    closed: false,
    overdue: true,
    answered: false,
    dueAt: overdueSoon,
  });
  // The next answer due is the transport bureau's late item.
  expect(halfDone.dueAt).toBe(overdueSoon);
  await expectListed(sys, halfDone, { staff, unit: { token: transport, id: 'transport-bureau' }, outsider: health });
  expect((await call('GET', `${sys.caseIndexUrl}/v1/cases?unit=edu-bureau`, { token: transport })).status).toBe(403);

  // 5. Poor rectification, a poor re-report: the transport part escalates.
  for (const summary of ['研究处理情况报告', '再次报告']) {
    await eventually(
      async () => ['rectifying', 'reReport'].includes((await part('transport-bureau'))?.stage),
      'a report due',
    );
    expect((await post('units/transport-bureau/report', transport, { summary })).status).toBe(200);
    expect((await post('units/transport-bureau/assessment', staff, { verdict: 'poor' })).status).toBe(200);
    if (summary === '再次报告') break;
    // The index follows: the transport part must report again; its late item, still open, keeps
    // it late and due at the item's date.
    const again = await indexedCase(
      sys,
      staff,
      caseId,
      (v) => partOf(v, 'transport-bureau')?.stage === 'reReportRequired',
    );
    expect(partOf(again, 'transport-bureau')).toMatchObject({
      answered: false,
      closed: false,
      overdue: true,
      dueAt: overdueSoon,
    });
    expect(again).toMatchObject({ stage: 'reReportRequired', grade: 'poor', closed: false, overdue: true });
  }
  await eventually(
    async () => (await part('transport-bureau'))?.ladder?.step === 'publicBulletin',
    'the ladder to start',
  );
  const ladder = await call('GET', `${url}/units/transport-bureau/ladder`, { token: staff });
  expect(ladder.body.ladder.steps.map((s: { step: string }) => s.step)).toEqual(['publicBulletin']);
  for (const expected of ['specialSupervision', 'inquiry']) {
    expect((await post('units/transport-bureau/ladder/escalate-now', staff, { note: '整改仍不到位' })).status).toBe(
      200,
    );
    await eventually(
      async () => (await part('transport-bureau'))?.ladder?.step === expected,
      `the ladder at ${expected}`,
    );
  }
  const inquiryDue = await eventually(async () => {
    const s = await part('transport-bureau');
    return s?.stage === 'inquiryDue' && s;
  }, 'the inquiry step to ask for filers');
  expect(inquiryDue.procedures[0].needs).toMatch(/at least 3 members/);
  // In the index the ladder's events are the part's: the same two parts, the ladder at its step.
  const climbing = await indexedCase(
    sys,
    transport,
    caseId,
    (v) => v.ladder?.step === 'inquiry' && v.stage === 'inquiryDue',
  );
  expect(climbing.ladder).toEqual({
    ladderId: `${caseId}.transport-bureau-ladder-1`,
    step: 'inquiry',
    status: 'climbing',
  });
  expect(climbing.parts.map((p: { unit: string }) => p.unit).sort()).toEqual(['edu-bureau', 'transport-bureau']);
  expect(climbing).toMatchObject({ closed: false, overdue: true });
  expect(partOf(climbing, 'transport-bureau')).toMatchObject({ stage: 'inquiryDue', overdue: true, closed: false });

  // 6. Members file the inquiry for it: too few signers or an outsider are refused, nothing stored.
  const inquiry = (tok: string, coSigners: string[]) =>
    call('POST', `${sys.oversightUrl}/v1/inquiries`, {
      token: tok,
      body: {
        jurisdiction,
        unit: 'transport-bureau',
        subject: '关于学校周边交通拥堵整治不力的质询案',
        content: '审议意见交办后两次报告整改不力，特提出质询。',
        coSigners,
        related: { caseId, unit: 'transport-bureau' },
      },
    });
  const tooFew = await inquiry(memberTokens[0], [members[1]]);
  expect(tooFew.status).toBe(422);
  expect(tooFew.body.error.message).toMatch(/at least 3 signing members/);
  const notMember = await inquiry(memberTokens[0], [members[1], `m-${tag}-outsider`]);
  expect(notMember.status).toBe(422);
  expect(notMember.body.error.message).toMatch(/not members: m-.*-outsider/);
  const filed = await inquiry(memberTokens[0], [members[1], members[2]]);
  expect(filed.status).toBe(201);
  const inquiryId: string = filed.body.caseId;
  expect((await part('transport-bureau')).procedures[0].linkedCaseId).toBe(inquiryId);
  const iurl = `${sys.oversightUrl}/v1/inquiries/${inquiryId}`;
  await eventually(
    async () => (await call('GET', iurl, { token: staff })).body.state?.stage === 'filed',
    'the inquiry to run',
  );
  expect((await call('POST', `${iurl}/decision`, { token: staff, body: { mode: 'written' } })).status).toBe(200);
  expect(
    (await call('POST', `${iurl}/reply`, { token: transport, body: { summary: '书面答复：已制定整治方案' } })).status,
  ).toBe(200);
  await eventually(
    async () => (await call('GET', iurl, { token: staff })).body.state?.ratingDueAt,
    'the rating to open',
  );
  for (const [i, satisfied] of [false, false, true].entries())
    expect((await call('POST', `${iurl}/rating`, { token: memberTokens[i], body: { satisfied } })).status).toBe(200);
  expect((await call('POST', `${iurl}/rating`, { token: memberTokens[0], body: { satisfied: true } })).status).toBe(
    409,
  );
  // Two of three dissatisfied: the unit replies again.
  await eventually(async () => (await call('GET', iurl, { token: staff })).body.state?.round === 2, 'the reply again');

  // The inquiry in the case index: the unit questioned, linked to the part it answers; the
  // opinion links to it.
  const inquiryView = await indexedCase(sys, transport, inquiryId, (v) => v.stage === 'ratingClosed');
  const againDue = (await call('GET', iurl, { token: staff })).body.state.replyDueAt;
  expect(inquiryView).toMatchObject({
    kind: 'inquiry',
    jurisdiction,
    title: '质询案 · transport-bureau',
    units: ['transport-bureau'],
    leadUnit: 'transport-bureau',
    satisfaction: 'unsatisfied',
    dueAt: againDue,
    overdue: false,
    closed: false,
    links: [{ caseId, rel: 'related' }],
  });
  await expectListed(sys, inquiryView, { staff, unit: { token: transport, id: 'transport-bureau' }, outsider: edu });
  expect((await caseTimeline(sys, transport, inquiryId)).map((e) => [e.type, e.actor])).toEqual([
    ['InquiryFiled', `deputy:${members[0]}`],
    ['InquiryReplyDecided', 'staff:clerk-1'],
    ['InquiryReplied', 'unit:handler-2/transport-bureau'],
    ['InquiryRated', `deputy:${members[0]}`],
    ['InquiryRated', `deputy:${members[1]}`],
    ['InquiryRated', `deputy:${members[2]}`],
    ['InquiryRatingClosed', 'system'],
  ]);
  expect((await indexedCase(sys, staff, caseId, (v) => v.links.length > 0)).links).toEqual([
    { caseId: inquiryId, rel: 'linked' },
  ]);
  // The second reply satisfies the filers: the inquiry closes, and the index follows.
  expect(
    (await call('POST', `${iurl}/reply`, { token: transport, body: { summary: '再次答复：整治已见效' } })).status,
  ).toBe(200);
  await eventually(
    async () => (await call('GET', iurl, { token: staff })).body.state?.ratingDueAt,
    'the second rating to open',
  );
  for (const i of [0, 1, 2])
    expect((await call('POST', `${iurl}/rating`, { token: memberTokens[i], body: { satisfied: true } })).status).toBe(
      200,
    );
  const answered = await indexedCase(sys, staff, inquiryId, (v) => v.closed);
  expect(answered).toMatchObject({
    stage: 'closed',
    closedOutcome: 'answered',
    satisfaction: 'satisfied',
    overdue: false,
  });

  // 7. Still failing: staff climb to the investigation; one fifth of ten members propose it.
  expect((await post('units/transport-bureau/ladder/escalate-now', staff, { note: '质询后仍未整改' })).status).toBe(
    200,
  );
  await eventually(
    async () => (await part('transport-bureau'))?.stage === 'investigationDue',
    'the investigation step',
  );
  const propose = (coProposers: string[]) =>
    call('POST', `${sys.oversightUrl}/v1/investigations`, {
      token: memberTokens[3],
      body: {
        jurisdiction,
        question: '关于学校周边交通拥堵问题',
        unit: 'transport-bureau',
        coProposers,
        related: { caseId, unit: 'transport-bureau' },
      },
    });
  const below = await propose([]);
  expect(below.status).toBe(422);
  expect(below.body.error.message).toMatch(/at least 2 of the 10 members/);
  const proposed = await propose([members[4]]);
  expect(proposed.status).toBe(201);
  const investigationId: string = proposed.body.caseId;
  const linked = await part('transport-bureau');
  expect(linked.procedures.map((p: { step: string; linkedCaseId?: string }) => [p.step, p.linkedCaseId])).toEqual([
    ['inquiry', inquiryId],
    ['investigation', investigationId],
  ]);

  // The investigation in the index; adopted with its report date, the view follows; its report
  // starts a resolution (决议) for the unit, a case of its own in unit parts.
  const vurl = `${sys.oversightUrl}/v1/investigations/${investigationId}`;
  const proposedView = await indexedCase(sys, transport, investigationId, (v) => v.stage === 'proposed');
  expect(proposedView).toMatchObject({
    kind: 'investigation',
    jurisdiction,
    title: '特定问题调查 · transport-bureau',
    units: ['transport-bureau'],
    closed: false,
    links: [{ caseId, rel: 'related' }],
  });
  await expectListed(sys, proposedView, { staff, unit: { token: transport, id: 'transport-bureau' }, outsider: edu });
  const reportDueAt = new Date(Date.now() + 3600_000).toISOString();
  expect(
    (
      await call('POST', `${vurl}/decision`, {
        token: staff,
        body: { adopt: true, committeeMembers: [members[5], members[6]], reportDueAt },
      })
    ).status,
  ).toBe(200);
  const decided = await indexedCase(sys, staff, investigationId, (v) => v.stage === 'decided');
  expect(decided).toMatchObject({ dueAt: reportDueAt, overdue: false, closed: false });
  const reported = await call('POST', `${vurl}/report`, {
    token: staff,
    body: {
      summary: '调查委员会关于学校周边交通拥堵问题的调查报告',
      resolution: {
        title: '关于学校周边交通拥堵问题的决议',
        items: [{ list: 'issue', description: '三个月内完成学校周边交通整治', unit: 'transport-bureau' }],
      },
    },
  });
  expect(reported.status).toBe(200);
  const resolutionId: string = reported.body.resolutionCaseId;
  expect(resolutionId).toMatch(/^resolution-\d{4}-\d{4,}$/);
  const investigated = await indexedCase(sys, staff, investigationId, (v) => v.closed);
  expect(investigated).toMatchObject({
    stage: 'closed',
    closedOutcome: 'resolutionStarted',
    links: [
      { caseId, rel: 'related' },
      { caseId: resolutionId, rel: 'resolution' },
    ],
  });
  expect((await caseTimeline(sys, staff, investigationId)).map((e) => e.type)).toEqual([
    'InvestigationProposed',
    'InvestigationDecided',
    'InvestigationReported',
    'InvestigationClosed',
  ]);
  const resolution = await indexedCase(sys, transport, resolutionId, (v) => v.parts.length === 1);
  expect(resolution).toMatchObject({
    kind: 'resolution',
    jurisdiction,
    stage: 'opened',
    title: '决议 · transport-bureau',
    units: ['transport-bureau'],
    parts: [{ unit: 'transport-bureau', closed: false, overdue: false, answered: false }],
    closed: false,
    links: [{ caseId: investigationId, rel: 'source' }],
  });
  expect(Date.parse(resolution.dueAt)).toBeGreaterThan(Date.now());
  await expectListed(sys, resolution, { staff, unit: { token: transport, id: 'transport-bureau' }, outsider: edu });

  // 8. Every transition is one event on the oversight topic, keyed by the opinion, each id once.
  const kafka = createKafka({ brokers: stackEnv().KAFKA_BROKERS, clientId: `oversight-reader-${tag}`, logger });
  const consumer = kafka.consumer({ groupId: `oversight-reader-${randomUUID()}` });
  const events: { id: string; type: string; kind: string }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.oversightEvents.name, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.key?.toString() !== caseId || !message.value) return;
      const env = decodeEnvelope(message.value);
      events.push({ id: env.eventId, type: env.type, kind: env.caseKind });
    },
  });
  try {
    await eventually(
      async () => events.filter((e) => e.type === 'OversightCaseLinked').length === 2,
      'the opinion’s events on Kafka',
    );
  } finally {
    await consumer.disconnect();
  }
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  const count = (type: string) => events.filter((e) => e.type === type).length;
  expect([
    count('ReviewOpinionOpened'),
    count('OversightItemClosed'),
    count('SatisfactionVoteCast'),
    count('ReviewOpinionClosed'),
    count('ReReportRequired'),
    count('OversightEscalated'),
    count('OversightProcedureDue'),
  ]).toEqual([2, 2, 10, 1, 1, 1, 2]);
  expect(events.every((e) => e.kind === 'review_opinion')).toBe(true);

  const view = await call('GET', url, { token: transport });
  expect(view.body.units).toEqual(['transport-bureau']);
  expect(view.body.items).toHaveLength(1);

  // 9. The ladder runs out at its last step: the transport part closes, and with it, its last
  // part, the case.
  expect((await post('units/transport-bureau/ladder/escalate-now', staff, { note: '调查后仍未整改' })).status).toBe(
    200,
  );
  const done = await indexedCase(sys, edu, caseId, (v) => v.closed);
  expect(done).toMatchObject({
    stage: 'closed',
    closedOutcome: 'escalationExhausted',
    overdue: false,
    ladder: { ladderId: `${caseId}.transport-bureau-ladder-1`, step: 'investigation', status: 'exhausted' },
    links: [
      { caseId: inquiryId, rel: 'linked' },
      { caseId: investigationId, rel: 'linked' },
    ],
  });
  expect(done.parts.map((p: { unit: string; closed: boolean }) => [p.unit, p.closed]).sort()).toEqual([
    ['edu-bureau', true],
    ['transport-bureau', true],
  ]);
  // Its timeline: every event on Kafka, once, in the order they happened, the closing one last.
  const timeline = await caseTimeline(sys, staff, caseId);
  const ids = timeline.map((e) => e.eventId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual(expect.arrayContaining(events.map((e) => e.id)));
  const times = timeline.map((e) => Date.parse(e.occurredAt));
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(timeline.slice(0, 2).map((e) => e.type)).toEqual(['ReviewOpinionOpened', 'ReviewOpinionOpened']);
  expect(
    timeline.filter((e) => e.type === 'ReviewOpinionClosed').map((e) => e.body.reviewOpinionClosed.outcome),
  ).toEqual(['completed', 'escalationExhausted']);
  expect(timeline[timeline.length - 1].type).toBe('ReviewOpinionClosed');

  // Everything of the county, counted by kind and stage.
  expect(await caseCounts(sys, staff, { jurisdiction })).toEqual({
    items: [
      { kind: 'inquiry', stage: 'closed', count: 1, overdue: 0 },
      { kind: 'investigation', stage: 'closed', count: 1, overdue: 0 },
      { kind: 'resolution', stage: 'opened', count: 1, overdue: 0 },
      { kind: 'review_opinion', stage: 'closed', count: 1, overdue: 0 },
    ],
    total: 4,
    overdue: 0,
  });
}, 170000);

it('runs a supervision plan: topics, adoption, an item due at its session starts a review opinion', async () => {
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  const env = await token({ role: 'unit', sub: 'handler-4', unit: 'eco-env-bureau' });
  const edu = await token({ role: 'unit', sub: 'handler-1', unit: 'edu-bureau' });
  const jurisdiction = `cn-drill-${randomUUID().slice(0, 6)}`;
  expect(
    (
      await call('PUT', `${sys.registryUrl}/v1/jurisdictions/${jurisdiction}/policy`, {
        token: staff,
        body: drillPolicy(),
      })
    ).status,
  ).toBe(200);
  // Next year's plan: its adoption is not yet due.
  const year = new Date().getUTCFullYear() + 1;
  const started = await call('POST', `${sys.oversightUrl}/v1/supervision-plans`, {
    token: staff,
    body: { jurisdiction, year },
  });
  expect(started.status).toBe(200);
  const planId: string = started.body.caseId;
  expect(planId).toBe(`supervision-plan-${jurisdiction}-${year}`);
  const purl = `${sys.oversightUrl}/v1/supervision-plans/${planId}`;
  await eventually(async () => (await call('GET', purl, { token: staff })).status === 200, 'the plan to run');
  const topic = await call('POST', `${purl}/topics`, {
    token: staff,
    body: { source: 'citizenOpinion', title: '城区河道水质监督', unit: 'eco-env-bureau' },
  });
  expect(topic.status).toBe(200);
  const topicId: string = topic.body.state.topics[0].topicId;

  // A plan is known to the index from its first event, a topic.
  const collecting = await indexedCase(sys, env, planId, (v) => v.stage === 'topicProposed');
  expect(collecting).toMatchObject({
    kind: 'supervision_plan',
    jurisdiction,
    title: '监督工作计划 · eco-env-bureau',
    units: ['eco-env-bureau'],
    year,
    closed: false,
  });
  await expectListed(sys, collecting, { staff, unit: { token: env, id: 'eco-env-bureau' }, outsider: edu });

  // Adopted, with its session in a few seconds; at the session the item is due; staff record the
  // committee's review opinion on it, which starts as its own case, linked both ways.
  const sessionAt = new Date(Date.now() + 3000).toISOString();
  expect(
    (await call('POST', `${purl}/adoption`, { token: staff, body: { items: [{ topicId, sessionAt, weight: 'key' }] } }))
      .status,
  ).toBe(200);
  const adopted = await indexedCase(sys, staff, planId, (v) => v.stage === 'adopted');
  expect(adopted.closed).toBe(false);
  await eventually(
    async () => (await call('GET', purl, { token: staff })).body.state?.items[0]?.status === 'due',
    'the plan item to come due at its session',
  );
  const opened = await call('POST', `${purl}/items/P1/review-opinion`, {
    token: staff,
    body: {
      title: '关于城区河道水质情况报告的审议意见',
      items: [{ list: 'supervision', description: '排污口整治', unit: 'eco-env-bureau' }],
    },
  });
  expect(opened.status).toBe(201);
  const opinionId: string = opened.body.reviewOpinionCaseId;
  const planView = await indexedCase(sys, env, planId, (v) => v.stage === 'itemStarted');
  expect(planView.links).toEqual([{ caseId: opinionId, rel: 'reviewOpinion' }]);
  expect((await caseTimeline(sys, staff, planId)).map((e) => e.type)).toEqual([
    'SupervisionTopicProposed',
    'SupervisionPlanAdopted',
    'SupervisionPlanItemDue',
    'SupervisionPlanItemStarted',
  ]);
  const opinion = await indexedCase(sys, env, opinionId, (v) => v.parts.length === 1);
  expect(opinion).toMatchObject({
    kind: 'review_opinion',
    stage: 'opened',
    units: ['eco-env-bureau'],
    title: '审议意见 · eco-env-bureau',
    links: [{ caseId: planId, rel: 'source' }],
  });
  await expectListed(sys, opinion, { staff, unit: { token: env, id: 'eco-env-bureau' }, outsider: edu });
  expect(await caseCounts(sys, env, { jurisdiction })).toMatchObject({
    items: [
      { kind: 'review_opinion', stage: 'opened', count: 1 },
      { kind: 'supervision_plan', stage: 'itemStarted', count: 1 },
    ],
    total: 2,
  });
});
