// Actions on a suggestion over real HTTP: each refusal answers with the right status and leaves
// the case exactly as it was; accepted actions change it as the contract says.
import { randomUUID } from 'node:crypto';
import { call, eventually, startSystem, token, type System } from '../support/system';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const suggestion = (title: string) => ({
  title,
  content: '多所小学周边上下学高峰拥堵，建议增设信号灯、减速带和护学岗。',
  category: 'education',
  jurisdiction: 'cn-zj-demo-city',
});

let staff: string;
let deputy: string;
let lead: string;
beforeAll(async () => {
  staff = await token({ role: 'staff', sub: 'clerk-1' });
  deputy = await token({ role: 'deputy', sub: 'deputy-001' });
  lead = await token({ role: 'unit', sub: 'handler-1', unit: 'edu-bureau' });
});

/** Submits a suggestion as deputy-001 and waits until it awaits review. */
async function submitted(title = '关于学校周边交通安全的建议') {
  const created = await call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
    token: deputy,
    body: suggestion(title),
  });
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  const url = `${sys.suggestionsUrl}/v1/suggestions/${caseId}`;
  const act = (path: string, tok: string, body: unknown, headers: Record<string, string> = {}) =>
    call('POST', `${url}/${path}`, { token: tok, body, headers });
  const read = async (tok = staff) => (await call('GET', url, { token: tok })).body;
  await eventually(async () => (await read())?.state?.stage === 'submitted', 'the case to await review');
  return { caseId, url, act, read };
}

/** Submitted and accepted: assigned to edu-bureau (the demo city's routing of education). */
async function assigned() {
  const c = await submitted();
  const review = await c.act('review', staff, { decision: 'accept' });
  expect(review.status).toBe(200);
  expect(review.body.state).toMatchObject({ stage: 'assigned', leadUnit: 'edu-bureau' });
  return c;
}

describe('refused actions leave the case unchanged', () => {
  it('answers 400/403/404/409 and changes nothing', async () => {
    const { caseId, url, act, read } = await assigned();
    const before = await read();
    const other = await token({ role: 'deputy', sub: 'deputy-002' });
    const wrongUnit = await token({ role: 'unit', sub: 'handler-9', unit: 'transport-bureau' });
    const farFuture = new Date(Date.now() + 400 * 86400000).toISOString();

    const refusals: [string, () => Promise<{ status: number; body: any }>, number[]][] = [
      ['a rating before any reply', () => act('rating', deputy, { rating: 'satisfied' }), [409]],
      [
        'a reply from another unit',
        () => act('reply', wrongUnit, { grade: 'A', summary: '不是本单位承办的建议。' }),
        [403],
      ],
      ["a deputy rating someone else's suggestion", () => act('rating', other, { rating: 'unsatisfied' }), [403, 404]],
      ["a deputy reading someone else's suggestion", () => call('GET', url, { token: other }), [404]],
      ['a unit unrelated to the case reading it', () => call('GET', url, { token: wrongUnit }), [404]],
      [
        'an unknown field',
        () => act('reply', lead, { grade: 'A', summary: '已在三所小学周边增设信号灯。', urgent: true }),
        [400],
      ],
      [
        'a B reply without commitments',
        () => act('reply', lead, { grade: 'B', summary: '正在推进信号灯安装工作。' }),
        [400],
      ],
      [
        'a commitment date that is not a date',
        () =>
          act('reply', lead, {
            grade: 'B',
            summary: '正在推进信号灯安装工作。',
            commitments: [{ description: '安装信号灯', dueDate: 'next spring' }],
          }),
        [400],
      ],
      ['a return without a reason', () => act('review', staff, { decision: 'return' }), [400]],
      [
        'a merge without the surviving case',
        () => act('review', staff, { decision: 'merge', reason: '重复建议' }),
        [400],
      ],
      ['a second review', () => act('review', staff, { decision: 'accept' }), [409]],
      ['a review by a deputy', () => act('review', deputy, { decision: 'accept' }), [403]],
      ['an objection by a unit not assigned', () => act('objection', wrongUnit, { reason: '非本单位职责。' }), [403]],
      [
        'an extension decision with none pending',
        () => act('extension-decision', staff, { approve: true, note: '同意延期。' }),
        [409],
      ],
      ['resuming a clock that runs', () => act('clock/resume', lead, {}), [409]],
      [
        'a report on an unknown commitment',
        () => act('commitments/9-9/report', lead, { kept: true, note: '已完成。' }),
        [400],
      ],
      [
        'a malformed Idempotency-Key',
        () => act('objection', lead, { reason: '非本单位职责。' }, { 'idempotency-key': 'short' }),
        [400],
      ],
      [
        'an unknown case',
        () =>
          call('POST', `${sys.suggestionsUrl}/v1/suggestions/suggestion-2026-999999/rating`, {
            token: deputy,
            body: { rating: 'satisfied' },
          }),
        [404],
      ],
      [
        'a ladder id of another case',
        () => call('GET', `${url}/ladders/suggestion-1999-0001-ladder-1`, { token: staff }),
        [400],
      ],
      ['a ladder that does not exist', () => call('GET', `${url}/ladders/${caseId}-ladder-9`, { token: staff }), [404]],
      [
        'resolving a ladder that does not exist',
        () => act(`ladders/${caseId}-ladder-9/resolve`, staff, { note: '已整改完毕。' }),
        [404],
      ],
    ];
    const outcomes: Record<string, number> = {};
    for (const [what, run] of refusals) {
      const res = await run();
      outcomes[what] = res.status;
      if (res.status >= 400) expect(res.body.error?.message).toEqual(expect.any(String));
    }
    expect(outcomes).toEqual(
      Object.fromEntries(
        refusals.map(([what, , statuses]) => [what, statuses.includes(outcomes[what]) ? outcomes[what] : statuses]),
      ),
    );

    // An extension far past the maximum reply time: refused at the request, or at approval.
    const request = await act('extension-request', lead, { reason: '需要跨部门协调。', until: farFuture });
    expect([200, 409]).toContain(request.status);
    const unchanged = request.status === 200 ? request.body : before;
    if (request.status === 200) {
      const approval = await act('extension-decision', staff, { approve: true, note: '同意延期。' });
      expect(approval.status).toBe(409);
    }

    const after = await read();
    expect(after).toEqual(unchanged);
    expect(after.state.events).toEqual(unchanged.state.events);
  });
});

describe('accepted actions', () => {
  it('returns a suggestion for revision; the revision updates the stored document', async () => {
    const { act, read } = await submitted('关于学校周边交通的建议');
    const returned = await act('review', staff, { decision: 'return', reason: '请补充具体学校名称和地点。' });
    expect(returned.status).toBe(200);
    expect(returned.body.state).toMatchObject({ stage: 'returned', returnedReason: '请补充具体学校名称和地点。' });

    const other = await token({ role: 'deputy', sub: 'deputy-002' });
    const revision = {
      title: '关于实验小学周边交通安全的建议',
      content: '实验小学门口上下学高峰拥堵，建议增设信号灯、减速带和护学岗。',
      category: 'education',
    };
    expect((await act('revise', other, revision)).status).toBe(403);
    const revised = await act('revise', deputy, revision);
    expect(revised.status).toBe(200);
    expect(revised.body).toMatchObject({ ...revision, state: { stage: 'submitted', title: revision.title } });
    expect(await read(deputy)).toMatchObject({ ...revision, state: { stage: 'submitted' } });
  });

  it('takes an objection and a reassignment, an extension within the maximum, a paused clock', async () => {
    const { act, read } = await assigned();
    const objected = await act('objection', lead, { reason: '该事项属交通部门职责。' });
    expect(objected.status).toBe(200);
    expect(objected.body.state.stage).toBe('objected');
    const reassigned = await act('reassign', staff, { leadUnit: 'transport-bureau', coHandlers: ['edu-bureau'] });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.state).toMatchObject({
      stage: 'assigned',
      leadUnit: 'transport-bureau',
      coHandlers: ['edu-bureau'],
      assignmentNo: 2,
    });
    // The former lead unit, now a co-handler, still reads the case.
    expect(
      (await call('GET', `${sys.suggestionsUrl}/v1/suggestions/${reassigned.body.caseId}`, { token: lead })).status,
    ).toBe(200);

    const transport = await token({ role: 'unit', sub: 'handler-2', unit: 'transport-bureau' });
    const due = reassigned.body.state.replyDueAt as string;
    const until = new Date(Date.parse(due) + 10 * 86400000).toISOString();
    const key = `ext-${randomUUID()}`;
    const request = await act(
      'extension-request',
      transport,
      { reason: '需要跨部门协调。', until },
      { 'idempotency-key': key },
    );
    expect(request.status).toBe(200);
    const again = await act(
      'extension-request',
      transport,
      { reason: '需要跨部门协调。', until },
      { 'idempotency-key': key },
    );
    expect(again.body).toEqual(request.body);
    expect(again.body.state.extensions).toHaveLength(1);
    const approved = await act('extension-decision', staff, { approve: true, note: '同意延期十天。' });
    expect(approved.status).toBe(200);
    expect(approved.body.state.replyDueAt).toBe(until);

    expect((await act('clock/pause', transport, { reason: '等待代表补充材料。' })).status).toBe(200);
    const resumed = await act('clock/resume', transport, {});
    expect(resumed.status).toBe(200);
    expect(Date.parse(resumed.body.state.replyDueAt)).toBeGreaterThanOrEqual(Date.parse(until));
    expect(resumed.body.state.clockPausedSince).toBeUndefined();
    expect((await read()).state.stage).toBe('assigned');
  });
});
