// A review opinion (审议意见) with three items over real HTTP, the real Temporal dev server,
// Kafka and FerretDB, in a drill county whose windows are minutes: the education bureau's two
// items are closed by staff with evidence, its report passes the members' vote (one vote each);
// the transport bureau's item goes overdue (the operators' cross-kind query finds it), its report
// is poor twice and it climbs the escalation ladder to the inquiry, which members file.
import { randomUUID } from 'node:crypto';
import { TOPICS, createKafka, decodeEnvelope } from '@duban/platform';
import { call, eventually, logger, stackEnv, startSystem, token, type System } from '../support/system';

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

  // 5. Poor rectification, a poor re-report: the transport part escalates.
  for (const summary of ['研究处理情况报告', '再次报告']) {
    await eventually(
      async () => ['rectifying', 'reReport'].includes((await part('transport-bureau'))?.stage),
      'a report due',
    );
    expect((await post('units/transport-bureau/report', transport, { summary })).status).toBe(200);
    expect((await post('units/transport-bureau/assessment', staff, { verdict: 'poor' })).status).toBe(200);
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
  const linked = await part('transport-bureau');
  expect(linked.procedures.map((p: { step: string; linkedCaseId?: string }) => [p.step, p.linkedCaseId])).toEqual([
    ['inquiry', inquiryId],
    ['investigation', proposed.body.caseId],
  ]);

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
}, 170000);
