// "What may this caller do now" for the other case kinds, over real HTTP on the real stack: the
// oversight and duties services answer from each case's live state by the gates its workflow's
// validators apply, each action with the route and request schema the route itself validates
// with; posting an action as listed is accepted and the next answer follows; the to-do of unit
// parts lists what waits for each caller; what each person may start.
import { randomUUID } from 'node:crypto';
import { call, eventually, startDuties, startSystem, token, type System } from '../support/system';

let sys: System;
let duties: Awaited<ReturnType<typeof startDuties>>;
let dutiesUrl: string;

beforeAll(async () => {
  sys = await startSystem();
  duties = await startDuties(sys);
  dutiesUrl = duties.url;
});
afterAll(async () => {
  await duties?.stop();
  await sys?.stop();
});

interface Action {
  action: string;
  path: string;
  schema: { required?: string[]; properties?: Record<string, unknown> };
  target?: Record<string, string>;
  prefill?: Record<string, unknown>;
}
const names = (actions: Action[]) => actions.map((a) => [a.action, a.target?.itemId ?? a.target?.unit ?? ''].join(':'));

it('lists each caller’s actions on a review opinion part by part, item by item, and follows what is done', async () => {
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  const edu = await token({ role: 'unit', sub: 'h1', unit: 'edu-bureau' });
  const transport = await token({ role: 'unit', sub: 'h2', unit: 'transport-bureau' });
  const health = await token({ role: 'unit', sub: 'h3', unit: 'health-commission' });
  const member = await token({ role: 'deputy', sub: 'member-01' });
  const deputy = await token({ role: 'deputy', sub: 'deputy-001' });
  const url = sys.oversightUrl;

  const created = await call('POST', `${url}/v1/review-opinions`, {
    token: staff,
    body: {
      jurisdiction: 'cn-zj-demo-city',
      title: `关于全市义务教育工作情况报告的审议意见 ${randomUUID().slice(0, 6)}`,
      items: [
        { list: 'issue', description: '城区学校大班额问题突出。', unit: 'edu-bureau' },
        { list: 'supervision', description: '学校周边交通拥堵。', unit: 'transport-bureau' },
      ],
    },
  });
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  const actionsOf = async (tok: string) => {
    const r = await call('GET', `${url}/v1/review-opinions/${caseId}/actions`, { token: tok });
    return { status: r.status, actions: (r.body.actions ?? []) as Action[] };
  };

  // Each unit its own item and report, once its part has opened; staff and members nothing yet.
  await eventually(async () => (await actionsOf(edu)).actions.length === 2, 'the education part to open');
  const eduActions = (await actionsOf(edu)).actions;
  expect(names(eduActions)).toEqual(['itemFeedback:1', 'submitReport:edu-bureau']);
  expect(eduActions[0]).toMatchObject({
    path: `/v1/review-opinions/${caseId}/items/1/feedback`,
    target: { unit: 'edu-bureau', itemId: '1' },
    schema: { required: ['progress', 'done'] },
  });
  expect(eduActions[1].path).toBe(`/v1/review-opinions/${caseId}/units/edu-bureau/report`);
  await eventually(async () => (await actionsOf(transport)).actions.length === 2, 'the transport part to open');
  expect(names((await actionsOf(transport)).actions)).toEqual(['itemFeedback:2', 'submitReport:transport-bureau']);
  expect((await actionsOf(staff)).actions).toEqual([]);
  expect((await actionsOf(member)).actions).toEqual([]);
  expect((await actionsOf(health)).status).toBe(404);

  // Done as listed: the item waits for staff, who may now close it; the unit may no longer give feedback on it.
  const feedback = await call('POST', `${url}${eduActions[0].path}`, {
    token: edu,
    body: { progress: '已制定化解方案并执行。', done: true, evidence: ['教育局文件〔2026〕12号'] },
  });
  expect(feedback.status).toBe(200);
  expect(names((await actionsOf(edu)).actions)).toEqual(['submitReport:edu-bureau']);
  const staffActions = (await actionsOf(staff)).actions;
  expect(names(staffActions)).toEqual(['confirmItem:1']);
  expect(staffActions[0].schema.required).toEqual(['confirm', 'note']);

  // The to-do of parts: each caller the parts waiting for them, with those actions.
  const waiting = async (tok: string) =>
    (
      (await call('GET', `${url}/v1/review-opinions/waiting`, { token: tok })).body.items as {
        caseId: string;
        unit: string;
        actions: Action[];
      }[]
    ).filter((w) => w.caseId === caseId);
  await eventually(async () => (await waiting(staff)).length === 1, 'the part to be listed for staff');
  expect((await waiting(staff)).map((w) => [w.unit, names(w.actions)])).toEqual([['edu-bureau', ['confirmItem:1']]]);
  expect((await waiting(transport)).map((w) => w.unit)).toEqual(['transport-bureau']);
  expect((await waiting(edu)).map((w) => [w.unit, names(w.actions)])).toEqual([
    ['edu-bureau', ['submitReport:edu-bureau']],
  ]);
  expect(await waiting(health)).toEqual([]);

  // What each person may start: staff record, propose for the chair council and start the plan;
  // a member of the standing committee files inquiries and proposes; another deputy nothing.
  const start = async (tok: string) =>
    (
      (await call('GET', `${url}/v1/oversight/actions?jurisdiction=cn-zj-demo-city`, { token: tok })).body
        .actions as Action[]
    ).map((a) => a.action);
  expect(await start(staff)).toEqual(['openReviewOpinion', 'proposeInvestigation', 'startPlan']);
  expect(await start(member)).toEqual(['fileInquiry', 'proposeInvestigation']);
  expect(await start(deputy)).toEqual([]);
  expect(await start(edu)).toEqual([]);
});

it('lists the actions of a regulation report by its stage and caller, and what staff may register', async () => {
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  const edu = await token({ role: 'unit', sub: 'h1', unit: 'edu-bureau' });
  const transport = await token({ role: 'unit', sub: 'h2', unit: 'transport-bureau' });
  const regulationId = `reg-${randomUUID().slice(0, 6)}`;
  const reg = await call('POST', `${dutiesUrl}/v1/regulations`, {
    token: staff,
    // In force for years: past the policy's period, so the report is requested at once.
    body: {
      regulationId,
      title: '示范市学校安全条例',
      jurisdiction: 'cn-zj-demo-city',
      unit: 'edu-bureau',
      inForceOn: '2022-03-01',
    },
  });
  expect(reg.status).toBe(201);
  const actionsOf = async (tok: string) => {
    const r = await call('GET', `${dutiesUrl}/v1/regulations/${regulationId}/actions`, { token: tok });
    return { status: r.status, actions: (r.body.actions ?? []) as Action[] };
  };
  await eventually(async () => (await actionsOf(edu)).actions.length === 1, 'the report to be requested');
  const [file] = (await actionsOf(edu)).actions;
  expect(file).toMatchObject({ action: 'fileReport', path: `/v1/regulations/${regulationId}/report` });
  expect(file.schema.required).toEqual(['summary']);
  expect((await actionsOf(staff)).actions).toEqual([]);
  expect((await actionsOf(transport)).status).toBe(404);

  const filed = await call('POST', `${dutiesUrl}${file.path}`, {
    token: edu,
    body: { summary: '条例实施两年来，全市学校安全事故下降三成。' },
  });
  expect(filed.status).toBe(200);
  await eventually(async () => (await actionsOf(staff)).actions.length === 1, 'the report to await review');
  expect((await actionsOf(staff)).actions.map((a) => a.action)).toEqual(['review']);
  expect((await actionsOf(edu)).actions).toEqual([]);

  const register = async (tok: string) =>
    (
      (await call('GET', `${dutiesUrl}/v1/duties/actions?jurisdiction=cn-zj-demo-city`, { token: tok })).body
        .actions as Action[]
    ).map((a) => a.action);
  expect(await register(staff)).toEqual(['registerRegulation', 'registerAppointment', 'registerGroup']);
  expect(await register(edu)).toEqual([]);
});
