// One suggestion through the whole closed loop over real HTTP, the real Temporal dev server,
// Kafka and FerretDB, in a drill county whose windows are minutes: submitted → reviewed and
// assigned as a key suggestion with a co-handler → co-handler's opinion → reply B with a
// commitment → unsatisfied → special supervision → second reply → satisfied → look-back →
// the commitment is due and reported kept → scored and closed. Every event once; a retried
// action (same Idempotency-Key) answers the same and does nothing twice. And a case that is
// unsatisfied twice climbs the escalation ladder, which staff escalate and resolve over HTTP.
import { randomUUID } from 'node:crypto';
import { call, eventually, startSystem, token, type System, boardsSettled } from '../support/system';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const minutes = (amount: number) => ({ amount, unit: 'minutes' });

/** A county under the demo city whose every window is minutes, for drills and tests. */
function drillPolicy() {
  return {
    name: 'Drill county (minute windows)',
    level: 'county',
    parent: 'cn-zj-demo-city',
    settings: {
      suggestion: {
        replyWindow: minutes(2),
        maxReplyWindow: minutes(10),
        coHandlerWindow: minutes(1),
        objectionWindow: minutes(1),
        reminderBefore: [minutes(1)],
        veryOverdueAfter: minutes(2),
        ratingWindow: minutes(2),
        secondReplyWindow: minutes(2),
        commitmentReportWindow: minutes(2),
      },
      escalation: {
        steps: [
          { step: 'publicBulletin', window: minutes(1), owner: 'committee-staff' },
          { step: 'specialSupervision', window: minutes(1), owner: 'supervising-committee' },
        ],
      },
    },
  };
}

interface Timeline {
  events: { eventId: string; type: string; body: Record<string, unknown> }[];
}

it('runs one suggestion through the whole loop, every event once', async () => {
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  const deputy = await token({ role: 'deputy', sub: 'deputy-001' });
  const lead = await token({ role: 'unit', sub: 'handler-1', unit: 'edu-bureau' });
  const coHandler = await token({ role: 'unit', sub: 'handler-7', unit: 'transport-bureau' });

  const jurisdiction = `cn-drill-${randomUUID().slice(0, 6)}`;
  const put = await call('PUT', `${sys.registryUrl}/v1/jurisdictions/${jurisdiction}/policy`, {
    token: staff,
    body: drillPolicy(),
  });
  expect(put.status).toBe(200);

  // 1. The deputy submits; the case waits for review.
  const created = await call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
    token: deputy,
    body: {
      title: '关于在学校周边增设交通安全设施的建议',
      content: '多所小学周边上下学高峰拥堵，建议增设信号灯、减速带和护学岗。',
      category: 'education',
      jurisdiction,
    },
  });
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  const url = `${sys.suggestionsUrl}/v1/suggestions/${caseId}`;
  const act = (path: string, tok: string, body: unknown, key?: string) =>
    call('POST', `${url}/${path}`, { token: tok, body, headers: key ? { 'idempotency-key': key } : {} });
  const stateOf = async (tok = staff) => (await call('GET', url, { token: tok })).body.state;

  await eventually(async () => (await stateOf())?.stage === 'submitted', 'the case to wait for review');

  // 2. Staff accept it as a key suggestion (重点建议), with a co-handler (协办).
  const review = await act('review', staff, {
    decision: 'accept',
    coHandlers: ['transport-bureau'],
    key: { leadingOfficial: '陈副市长', supervisingCommittee: '教育科学文化卫生工作委员会' },
  });
  expect(review.status).toBe(200);
  expect(review.body.state).toMatchObject({
    stage: 'assigned',
    leadUnit: 'edu-bureau',
    coHandlers: ['transport-bureau'],
    key: { leadingOfficial: '陈副市长' },
    assignmentNo: 1,
  });
  // Deadlines in minutes: the drill policy is in force.
  expect(Date.parse(review.body.state.replyDueAt) - Date.now()).toBeLessThan(3 * 60000);

  // 3. The co-handler may read the case and sends its opinion; a retry with the same key
  // answers the same and sends nothing twice.
  expect((await call('GET', url, { token: coHandler })).status).toBe(200);
  const opinionKey = `opinion-${randomUUID()}`;
  const opinionBody = { opinion: '交通运输局将配合设置信号灯和标线。' };
  const opinion = await act('co-handler-opinion', coHandler, opinionBody, opinionKey);
  expect(opinion.status).toBe(200);
  expect(opinion.body.state.coHandlerOpinions['transport-bureau']).toMatchObject({ onTime: true });
  const retried = await act('co-handler-opinion', coHandler, opinionBody, opinionKey);
  expect(retried.status).toBe(200);
  expect(retried.body).toEqual(opinion.body);
  // Without the key, a second opinion is a new action, and refused.
  expect((await act('co-handler-opinion', coHandler, opinionBody)).status).toBe(409);

  // 4. The lead unit replies B with one commitment, due in ~20 s.
  const commitmentDue = new Date(Date.now() + 20000).toISOString();
  const reply1 = await act('reply', lead, {
    grade: 'B',
    summary: '已会同交通部门制定方案，信号灯将于近期安装。',
    commitments: [{ description: '在实验小学门口安装信号灯', dueDate: commitmentDue }],
  });
  expect(reply1.status).toBe(200);
  expect(reply1.body.state.stage).toBe('awaitingRating');
  expect(reply1.body.state.replies).toEqual([expect.objectContaining({ round: 1, grade: 'B', onTime: true })]);
  const commitmentId: string = reply1.body.state.commitments[0].commitmentId;

  // 5. Unsatisfied: special supervision (不满意专项督办), a second reply is due.
  const rating1 = await act('rating', deputy, { rating: 'unsatisfied', comment: '进度太慢。' });
  expect(rating1.status).toBe(200);
  await eventually(async () => (await stateOf(deputy))?.stage === 'secondReply', 'special supervision');
  // Rating the same reply again is "already rated", not a stage conflict.
  const ratedAgain = await act('rating', deputy, { rating: 'satisfied' });
  expect(ratedAgain.status).toBe(409);
  expect(ratedAgain.body.error.code).toBe('already_rated');

  // 6. The second reply (二次答复), round 2.
  const reply2 = await act('reply', lead, {
    grade: 'A',
    summary: '信号灯和减速带已全部安装完毕，护学岗已设立。',
  });
  expect(reply2.status).toBe(200);
  expect(reply2.body.state.replies.map((r: { round: number }) => r.round)).toEqual([1, 2]);

  // 7. Satisfied, sent twice with one key: one rating.
  const ratingKey = `rating-${randomUUID()}`;
  const rating2 = await act('rating', deputy, { rating: 'satisfied' }, ratingKey);
  expect(rating2.status).toBe(200);
  const rating2again = await act('rating', deputy, { rating: 'satisfied' }, ratingKey);
  expect(rating2again.status).toBe(200);
  expect(rating2again.body).toEqual(rating2.body);
  expect(rating2.body.state.ratings).toHaveLength(2);

  // 8. Look-back (回头看): when the commitment is due, the unit reports it kept.
  await eventually(
    async () => {
      const s = await stateOf(lead);
      return (
        s?.stage === 'lookBack' &&
        s.commitments.find((c: { commitmentId: string }) => c.commitmentId === commitmentId)?.status === 'due'
      );
    },
    'the commitment to come due',
    90000,
  );
  const reportKey = `report-${randomUUID()}`;
  const reportBody = { kept: true, note: '信号灯已于本周投入使用。' };
  const report = await act(`commitments/${commitmentId}/report`, lead, reportBody, reportKey);
  expect(report.status).toBe(200);

  // 9. Scored and closed.
  const closed = await eventually(async () => {
    const s = await stateOf();
    return s?.stage === 'closed' ? s : undefined;
  }, 'the case to close');
  expect(closed).toMatchObject({ closedOutcome: 'completed', score: { total: expect.any(Number) } });
  // The report that closed the case, retried with its key after the close: the same answer.
  const reportAgain = await act(`commitments/${commitmentId}/report`, lead, reportBody, reportKey);
  expect(reportAgain).toEqual(report);
  // A closed case takes no more actions.
  expect((await act('rating', deputy, { rating: 'satisfied' })).status).toBe(409);

  // The case index, from the events alone.
  const view = await eventually(async () => {
    const r = await call('GET', `${sys.caseIndexUrl}/v1/cases/${caseId}`, { token: staff });
    return r.status === 200 && r.body.stage === 'closed' ? r.body : undefined;
  }, 'the case index to show the case closed');
  expect(view).toMatchObject({
    leadUnit: 'edu-bureau',
    coHandlers: ['transport-bureau'],
    key: true,
    grade: 'A',
    satisfaction: 'satisfied',
    ratingAssumed: false,
    commitments: { total: 1, kept: 1, missed: 0 },
    score: closed.score.total,
    closedOutcome: 'completed',
  });
  await boardsSettled(sys);
  const listed = await call('GET', `${sys.caseIndexUrl}/v1/cases?key=true&satisfaction=satisfied&stage=closed`, {
    token: staff,
  });
  expect(listed.status).toBe(200);
  expect(listed.body.items.map((c: { caseId: string }) => c.caseId)).toContain(caseId);

  // The timeline: each event once, in order.
  const timeline: Timeline = (await call('GET', `${sys.caseIndexUrl}/v1/cases/${caseId}/timeline`, { token: deputy }))
    .body;
  const ids = timeline.events.map((e) => e.eventId);
  expect(new Set(ids).size).toBe(ids.length);
  const count = (type: string) => timeline.events.filter((e) => e.type === type).length;
  const expected: Record<string, number> = {
    SuggestionSubmitted: 1,
    SuggestionAssigned: 1,
    CoHandlerOpinionSent: 1,
    SuggestionReplied: 2,
    SuggestionRated: 2,
    SpecialSupervisionStarted: 1,
    CommitmentDue: 1,
    CommitmentReported: 1,
    SuggestionScored: 1,
    SuggestionClosed: 1,
  };
  expect(Object.fromEntries(Object.keys(expected).map((t) => [t, count(t)]))).toEqual(expected);
  const types = timeline.events.map((e) => e.type);
  expect(types[0]).toBe('SuggestionSubmitted');
  expect(types.slice(-2)).toEqual(['SuggestionScored', 'SuggestionClosed']);
  expect(types.indexOf('SpecialSupervisionStarted')).toBeGreaterThan(types.indexOf('SuggestionRated'));
  // The index keeps each event's body as published.
  expect(timeline.events.find((e) => e.type === 'CoHandlerOpinionSent')).toMatchObject({
    body: { coHandlerOpinionSent: { unit: 'transport-bureau', onTime: true } },
  });
});

it('climbs the escalation ladder after a second unsatisfied rating; staff escalate and resolve it', async () => {
  const staff = await token({ role: 'staff', sub: 'clerk-2' });
  const deputy = await token({ role: 'deputy', sub: 'deputy-002' });
  const lead = await token({ role: 'unit', sub: 'handler-3', unit: 'eco-env-bureau' });

  const jurisdiction = `cn-drill-${randomUUID().slice(0, 6)}`;
  const put = await call('PUT', `${sys.registryUrl}/v1/jurisdictions/${jurisdiction}/policy`, {
    token: staff,
    body: drillPolicy(),
  });
  expect(put.status).toBe(200);
  const created = await call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
    token: deputy,
    body: {
      title: '关于整治城区河道污染的建议',
      content: '建议对城区河道排污口开展专项整治，并定期公布水质监测结果。',
      category: 'environment',
      jurisdiction,
    },
  });
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  const url = `${sys.suggestionsUrl}/v1/suggestions/${caseId}`;
  const act = (path: string, tok: string, body: unknown) => call('POST', `${url}/${path}`, { token: tok, body });
  const stateOf = async () => (await call('GET', url, { token: staff })).body.state;

  await eventually(async () => (await stateOf())?.stage === 'submitted', 'the case to wait for review');
  expect((await act('review', staff, { decision: 'accept' })).status).toBe(200);
  for (const round of [1, 2]) {
    const reply = await act('reply', lead, { grade: 'D', summary: `第${round}次答复：受条件限制，暂难实施，作参考。` });
    expect(reply.status).toBe(200);
    expect((await act('rating', deputy, { rating: 'unsatisfied' })).status).toBe(200);
    if (round === 1) await eventually(async () => (await stateOf())?.stage === 'secondReply', 'special supervision');
  }

  // Unsatisfied again: the case climbs its policy's ladder.
  const ladderId = `${caseId}-ladder-1`;
  const ladderUrl = `${url}/ladders/${ladderId}`;
  await eventually(async () => {
    const r = await call('GET', ladderUrl, { token: deputy });
    return r.status === 200 && r.body.ladder.steps[0] && !r.body.ladder.steps[0].outcome;
  }, 'the first step of the ladder');
  expect((await stateOf()).stage).toBe('escalated');
  const other = await token({ role: 'deputy', sub: 'deputy-001' });
  expect((await call('GET', ladderUrl, { token: other })).status).toBe(404);
  expect((await call('GET', ladderUrl, { token: lead })).status).toBe(403);

  const escalated = await act(`ladders/${ladderId}/escalate-now`, staff, { note: '通报后仍未整改，提级督办。' });
  expect(escalated.status).toBe(200);
  expect(escalated.body.ladder).toMatchObject({ status: 'climbing', current: 2 });
  expect(escalated.body.ladder.steps.map((s: { step: string }) => s.step)).toEqual([
    'publicBulletin',
    'specialSupervision',
  ]);
  const resolved = await act(`ladders/${ladderId}/resolve`, staff, { note: '排污口已全部封堵，水质达标。' });
  expect(resolved.status).toBe(200);
  expect(resolved.body.ladder).toMatchObject({ status: 'resolved', resolution: { stepNo: 2 } });
  expect((await act(`ladders/${ladderId}/resolve`, staff, { note: '重复提交。' })).status).toBe(409);

  const closed = await eventually(async () => {
    const s = await stateOf();
    return s?.stage === 'closed' ? s : undefined;
  }, 'the case to close after the ladder');
  expect(closed).toMatchObject({ closedOutcome: 'completed', ladders: [{ ladderId, outcome: 'resolved' }] });

  const view = await eventually(async () => {
    const r = await call('GET', `${sys.caseIndexUrl}/v1/cases/${caseId}`, { token: staff });
    return r.status === 200 && r.body.stage === 'closed' ? r.body : undefined;
  }, 'the case index to show the case closed');
  expect(view).toMatchObject({
    satisfaction: 'unsatisfied',
    grade: 'D',
    ladder: { ladderId, step: 'specialSupervision', status: 'resolved' },
    score: closed.score.total,
  });
  await boardsSettled(sys);
  const unsatisfied = await call('GET', `${sys.caseIndexUrl}/v1/cases?satisfaction=unsatisfied`, { token: staff });
  expect(unsatisfied.body.items.map((c: { caseId: string }) => c.caseId)).toContain(caseId);
  const timeline: Timeline = (await call('GET', `${sys.caseIndexUrl}/v1/cases/${caseId}/timeline`, { token: staff }))
    .body;
  const types = timeline.events.map((e) => e.type);
  expect(types.filter((t) => t.startsWith('Ladder'))).toEqual([
    'LadderStarted',
    'LadderStepStarted',
    'LadderStepTimedOut',
    'LadderStepStarted',
    'LadderResolved',
  ]);
  expect(types).toContain('SuggestionEscalated');
});
