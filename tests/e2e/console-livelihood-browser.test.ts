// 民生实事项目票决 in the console, in a real browser over the real stack: the candidates of a
// city of this run are proposed, screened and reviewed over HTTP; then, through the pages only,
// the clerk is refused a ballot list one short (the message shown), publishes it and opens the
// vote, three deputies each cast their secret ballot from the to-do page with a confirmation,
// one of them is refused a second ballot from a page opened before (the message shown beside
// the choices), the clerk closes the vote, the result and a matching recount are shown, and the
// lead department's handler finds the elected project in their to-do and reports progress on
// it. Cycles left on a task queue no worker polls (running and terminated) are in the stack
// throughout, as other runs leave them: the to-do pages must not wait on them.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from '@playwright/test';
import { TypedSearchAttributes } from '@temporalio/common';
import { CaseKind, CycleYear, Jurisdiction, LIVELIHOOD_CYCLE_WORKFLOW, Stage } from '@duban/workflows';
import { createLivelihoodApp } from '@duban/livelihood/src/app';
import { ISSUER, SECRET, call, eventually, logger, stackEnv, startSystem, token, type System } from '../support/system';
import { chooseOptions, launchChromium, signedIn, startConsole, step, untilVisible } from '../support/console';

jest.setTimeout(240_000);

const run = randomUUID().slice(0, 6);
const J = `cn-lhb-${run}`;
const YEAR = 2100 + Math.floor(Math.random() * 800);
const CYCLE = `livelihood-${J}-${YEAR}`;
const DEPUTIES = [1, 2, 3, 4].map((i) => `lhb-${run}-${i}`);
const minutes = (amount: number) => ({ amount, unit: 'minutes' });
const TITLES = ['老旧小区加装电梯', '城区公厕改造提升', '社区卫生服务站建设'];

let sys: System;
let app: ReturnType<typeof createLivelihoodApp>;
let url: string;
let konsole: Awaited<ReturnType<typeof startConsole>>;
let browser: Browser;
const started = Date.now();
const leftovers: string[] = [];

beforeAll(async () => {
  sys = await startSystem();
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  // A city of this run: a cycle that fits in a test (2 seats for 3 candidates), four deputies.
  const put = await call('PUT', `${sys.registryUrl}/v1/jurisdictions/${J}/policy`, {
    token: staff,
    body: {
      name: 'Livelihood browser city',
      level: 'city',
      parent: 'cn-zj',
      settings: {
        livelihood: {
          collectionWindow: minutes(60),
          feasibilityWindow: minutes(60),
          seats: 2,
          ballotCandidates: 3,
          vote: { window: minutes(60), majorityOf: 'all' },
          progressReportEvery: minutes(30),
          progressReminderBefore: [],
          midYearReportAfter: minutes(60),
          evaluationAfter: minutes(120),
        },
      },
    },
  });
  expect(put.status).toBe(200);
  for (const [i, id] of DEPUTIES.entries())
    expect(
      (
        await call('PUT', `${sys.registryUrl}/v1/deputies/${id}`, {
          token: staff,
          body: { name: `代表${i + 1}`, jurisdiction: J, groups: [] },
        })
      ).status,
    ).toBe(200);
  const env = stackEnv();
  app = createLivelihoodApp(
    {
      LOG_LEVEL: 'warn',
      MONGO_URL: env.MONGO_URL,
      MONGO_DB: 'duban_livelihood',
      TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: sys.taskQueue,
      REGISTRY_URL: sys.registryUrl,
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: ISSUER,
      HTTP_PORT: 0,
      HTTP_HOST: '127.0.0.1',
      LIVELIHOOD_JURISDICTIONS: [],
      LIVELIHOOD_TALLY_GRACE_MS: 200,
    },
    logger,
  );
  await app.start();
  url = `http://127.0.0.1:${app.port}`;
  // The sign-in page offers this run's people: the clerk, the four deputies, the lead department's handler.
  konsole = await startConsole(sys, {
    livelihoodUrl: url,
    people: [
      { sub: 'clerk-1', role: 'staff', name: '人大常委会工作人员', label: '工作人员', group: '工作机构' },
      ...DEPUTIES.map((sub, i) => ({
        sub,
        role: 'deputy' as const,
        name: `代表${i + 1}`,
        label: `代表${i + 1}`,
        group: '代表',
      })),
      {
        sub: 'handler-edu-bureau',
        role: 'unit',
        unit: 'edu-bureau',
        name: '市教育局承办人',
        label: '市教育局 · 承办人',
        group: '承办单位',
      },
    ],
  });
  browser = await launchChromium();
  // Cycles left behind by a deployment that is gone (as other test runs leave them in a shared
  // stack): one running on a task queue no worker polls, one terminated there. Neither may hold
  // up the to-do pages below.
  for (const [i, end] of [false, true].entries()) {
    const h = await sys.temporal.workflow.start(LIVELIHOOD_CYCLE_WORKFLOW, {
      workflowId: `livelihood-cn-gone-${run}-${YEAR + i}`,
      taskQueue: `no-worker-${run}`,
      args: [{ jurisdiction: `cn-gone-${run}`, year: YEAR + i, policy: {} as never }],
      typedSearchAttributes: new TypedSearchAttributes([
        { key: CaseKind, value: 'livelihood_cycle' },
        { key: Jurisdiction, value: `cn-gone-${run}` },
        { key: CycleYear, value: YEAR + i },
        { key: Stage, value: 'ballotList' },
      ]),
    });
    leftovers.push(h.workflowId);
    if (end) await h.terminate('left behind');
  }
});

afterAll(async () => {
  for (const id of leftovers)
    await sys.temporal.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  await browser?.close();
  await konsole?.close();
  await app?.stop();
  await sys?.stop();
  logger.warn({ seconds: Math.round((Date.now() - started) / 1000) }, 'console livelihood browser test');
});

const stage = (page: Page, text: string) =>
  page.getByTestId('case-stage').filter({ hasText: text }).waitFor({ timeout: 60_000 });

/** Up to the ballot list over HTTP: three candidates proposed, accepted and found feasible. */
async function cycleReadyForTheList(): Promise<string[]> {
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  const gov = await token({ role: 'unit', sub: 'reviewer-1', unit: 'government-office' });
  const lh = (path: string, tok: string, body: unknown) =>
    call('POST', `${url}/v1/livelihood/cycles${path}`, { token: tok, body });
  expect((await lh('', staff, { jurisdiction: J, year: YEAR })).status).toBe(201);
  const ids: string[] = [];
  for (const [i, title] of TITLES.entries()) {
    const tok = await token({ role: 'deputy', sub: DEPUTIES[i] });
    const r = await lh(`/${CYCLE}/candidates`, tok, { title, category: 'public-service' });
    expect(r.status).toBe(200);
    ids.push(r.body.result.candidateId);
  }
  for (const id of ids)
    expect((await lh(`/${CYCLE}/candidates/${id}/screening`, staff, { decision: 'accept' })).status).toBe(200);
  expect((await lh(`/${CYCLE}/collection/close`, staff, {})).status).toBe(200);
  const stageIs = (want: string) =>
    eventually(
      async () => (await call('GET', `${url}/v1/livelihood/cycles/${CYCLE}`, { token: staff })).body.stage === want,
      want,
    );
  await stageIs('feasibility');
  for (const [i, id] of ids.entries())
    expect(
      (
        await lh(`/${CYCLE}/candidates/${id}/feasibility`, gov, {
          feasible: true,
          costEstimate: (i + 1) * 1_000_000,
          leadUnit: ['edu-bureau', 'transport-bureau', 'health-commission'][i],
          note: '可行',
        })
      ).status,
    ).toBe(200);
  await stageIs('ballotList');
  return ids;
}

/** A deputy ticks candidates on their ballot; then casts it through the confirmation. */
async function choose(page: Page, titles: string[]) {
  const ballot = page.getByTestId('form-castBallot');
  await ballot.waitFor();
  for (const t of titles) await ballot.getByText(t).click();
}
async function castWithConfirmation(page: Page) {
  await page.getByTestId('form-castBallot').getByRole('button', { name: '投票', exact: true }).click();
  const confirm = page.getByTestId('ballot-confirm');
  await confirm.waitFor();
  await page.getByRole('button', { name: '确认投票' }).click();
}

it('runs a livelihood vote through the pages: list, open, three secret ballots, a second one refused, close, result', async () => {
  const ids = await cycleReadyForTheList();
  const clerk = await signedIn(browser, konsole.url, 'clerk-1');
  const deputies = await Promise.all(DEPUTIES.slice(0, 3).map((d) => signedIn(browser, konsole.url, d)));
  // The first deputy's second page, opened before they vote (another device).
  const again = await deputies[0].context().newPage();
  const handler = await signedIn(browser, konsole.url, 'handler-edu-bureau');
  const pages = [clerk, ...deputies, again, handler];

  await step('clerk is refused a ballot list one short, then publishes it', pages, async () => {
    await clerk.goto(`${konsole.url}/todo`);
    await untilVisible(clerk, () => clerk.getByTestId('todo-lh-cycle').getByText(CYCLE));
    await clerk.getByTestId('todo-lh-cycle').getByText(CYCLE).click();
    await clerk.waitForURL(new RegExp(`/livelihood/cycles/${CYCLE}$`));
    await stage(clerk, '确定票决名单');
    await clerk.getByTestId('action-ballotList').click();
    const form = clerk.getByTestId('form-ballotList');
    const pick = async (...titles: string[]) => {
      await chooseOptions(
        clerk,
        form.locator('[data-field="candidateIds"]'),
        ...titles.map((t) => new RegExp(`^${t}（`)),
      );
      await clerk.keyboard.press('Escape');
    };
    await pick(TITLES[0], TITLES[1]);
    await form.getByRole('button', { name: '提交确定票决名单' }).click();
    // Refused by the cycle's validator; the message beside the field it names.
    const refused = form.locator('[data-field="candidateIds"] .ant-form-item-explain-error');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/must name 3 candidates for 2 seats/);
    await pick(TITLES[2]);
    await form.getByRole('button', { name: '提交确定票决名单' }).click();
    await stage(clerk, '待投票');
  });

  await step('clerk opens the vote', pages, async () => {
    await clerk.getByTestId('action-openVote').click();
    const form = clerk.getByTestId('form-openVote');
    await form.getByLabel('出席代表人数').fill('4');
    await form.getByRole('button', { name: '提交开始投票' }).click();
    await stage(clerk, '投票中');
    // Staff do not vote; no deputy's choice is anywhere on the page.
    expect(await clerk.getByTestId('ballot').count()).toBe(0);
  });

  await step('a second page of the first deputy opens the ballot before they vote', pages, async () => {
    await again.goto(`${konsole.url}/livelihood/cycles/${CYCLE}`);
    await choose(again, [TITLES[2]]);
  });

  await step('three deputies cast their ballots from the to-do page, each with a confirmation', pages, async () => {
    for (const [i, d] of deputies.entries()) {
      await d.goto(`${konsole.url}/todo`);
      await untilVisible(d, () => d.getByTestId('todo-lh-vote').getByText(CYCLE));
      await d.getByTestId('todo-lh-vote').getByText(CYCLE).click();
      await d.waitForURL(new RegExp(`/livelihood/cycles/${CYCLE}$`));
      // While the vote is open no result is shown, only the turnout.
      expect(await d.getByTestId('result').count()).toBe(0);
      await choose(d, [TITLES[0], TITLES[1]]);
      await castWithConfirmation(d);
      await d.getByTestId('ballot-cast').waitFor();
      // Nothing about the ballot is kept in the browser.
      expect(await d.evaluate('localStorage.length + sessionStorage.length')).toBe(0);
      if (i > 0) continue;
      // 已投票 is the server's word, after a reload too; the vote left the to-do list.
      await d.reload();
      await d.getByTestId('ballot-cast').waitFor();
      expect(await d.getByTestId('form-castBallot').count()).toBe(0);
      await d.goto(`${konsole.url}/todo`);
      await d.getByTestId('todo-lh-vote').waitFor();
      expect(await d.getByTestId('todo-lh-vote').getByText(CYCLE).count()).toBe(0);
    }
  });

  await step('the second ballot of the first deputy is refused with the message shown', pages, async () => {
    await castWithConfirmation(again);
    // The refusal names the ballot's field; the page shows it beside the candidates.
    const refused = again.locator('[data-field="choices"] .ant-form-item-explain-error');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('您已在本轮投票中投过票');
    expect(await again.getByTestId('form-error').count()).toBe(0);
    const turnout = await call('GET', `${url}/v1/livelihood/cycles/${CYCLE}/votes/1`, {
      token: await token({ role: 'staff', sub: 'clerk-1' }),
    });
    expect(turnout.body).toMatchObject({ status: 'open', ballotsCast: 3 });
  });

  await step('clerk closes the vote; the result and a matching recount are shown', pages, async () => {
    await clerk.reload();
    await clerk.getByTestId('action-closeVote').click();
    await clerk.getByTestId('form-closeVote').getByRole('button', { name: '结束投票并计票' }).click();
    await clerk.getByRole('button', { name: '确认', exact: true }).click();
    const result = clerk.getByTestId('round-1').getByTestId('result');
    await result.waitFor({ timeout: 60_000 });
    await result.getByTestId(`elected-${ids[0]}`).waitFor();
    await result.getByTestId(`elected-${ids[1]}`).waitFor();
    expect(await result.getByTestId(`elected-${ids[2]}`).count()).toBe(0);
    expect(await result.textContent()).toContain('已产生当选项目');
    await clerk.getByTestId('recount-1').click();
    expect(await clerk.getByTestId('recount').textContent()).toContain('复核一致');
    // Every deputy sees the public result on their page.
    await deputies[2].goto(`${konsole.url}/livelihood/cycles/${CYCLE}`);
    await deputies[2].getByTestId('round-1').getByTestId(`elected-${ids[0]}`).waitFor();
  });

  await step("the lead department's handler reports progress on the elected project", pages, async () => {
    await handler.goto(`${konsole.url}/todo`);
    const project = `${CYCLE}-p01`;
    await untilVisible(handler, () => handler.getByTestId('todo-lh-progress').getByText(project));
    await handler.getByTestId('todo-lh-progress').getByText(project).click();
    await handler.waitForURL(new RegExp(`/livelihood/projects/${project}$`));
    await handler.getByTestId('action-progress').click();
    const form = handler.getByTestId('form-progress');
    await form.getByLabel('完成进度（%）').fill('30');
    await form.getByLabel('已完成投资（元）').fill('300000');
    await form.getByLabel('报告内容').fill('已完成 3 个小区的电梯加装前期工作。');
    await form.getByRole('button', { name: '提交进度报告' }).click();
    await handler.getByTestId('periods').getByText('已报送').first().waitFor();
  });
});
