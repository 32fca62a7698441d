// 民情 in the console, in a real browser: a citizen on a phone-sized screen sends an opinion to a
// liaison station, the deputy of that station answers it from the station's list, the citizen
// rates the answer. Everything through the pages; the citizen service decides who may do what.
import type { Browser } from '@playwright/test';
import { createCitizenApp } from '@duban/citizen/src/app';
import { randomUUID } from 'node:crypto';
import { ISSUER, SECRET, call, logger, stackEnv, startSystem, token, type System } from '../support/system';
import { launchChromium, signedIn, startConsole, step, untilVisible } from '../support/console';

let sys: System;
let citizenApp: ReturnType<typeof createCitizenApp>;
let konsole: Awaited<ReturnType<typeof startConsole>>;
let browser: Browser;

beforeAll(async () => {
  sys = await startSystem();
  citizenApp = createCitizenApp(
    {
      MONGO_URL: stackEnv().MONGO_URL,
      MONGO_DB: 'duban_citizen',
      TEMPORAL_ADDRESS: stackEnv().TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: sys.taskQueue,
      REGISTRY_URL: sys.registryUrl,
      SUGGESTIONS_URL: sys.suggestionsUrl,
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: ISSUER,
      HTTP_PORT: 0,
      HTTP_HOST: '127.0.0.1',
    },
    logger,
  );
  await citizenApp.start();
  // Stations that list before the demo one, as other suites' stations do: one the deputy does
  // not serve, one they also serve. The link a station posts picks the right one.
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  const run = randomUUID().slice(0, 6);
  for (const [id, deputies] of [
    [`station-0-${run}`, ['deputy-002']],
    [`station-1-${run}`, ['deputy-001']],
  ] as const) {
    const put = await call('PUT', `${sys.registryUrl}/v1/stations/${id}`, {
      token: staff,
      body: { name: `其他联络站 ${id}`, jurisdiction: 'cn-zj-demo-city', deputies },
    });
    expect(put.status).toBe(200);
  }
  konsole = await startConsole(sys, { citizenUrl: `http://127.0.0.1:${citizenApp.port}` });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await konsole?.close();
  await citizenApp?.stop();
  await sys?.stop();
});

const PHONE = { width: 390, height: 844 };
// Other suites register stations of their own in the same registry; the station posts its link.
const STATION = 'station-riverside';

it('a citizen on a phone sends an opinion, the station deputy answers, the citizen rates it', async () => {
  const citizen = await signedIn(browser, konsole.url, 'citizen-001', PHONE);
  const deputy = await signedIn(browser, konsole.url, 'deputy-001');
  const pages = [citizen, deputy];
  const content = `小区门口的路灯坏了两个月，晚上出行不安全，请尽快修复。${Date.now()}`;

  const caseId = await step('citizen sends an opinion', pages, async () => {
    await citizen.goto(`${konsole.url}/opinions/new?station=${STATION}`);
    await citizen.getByText('滨江街道代表联络站').waitFor();
    await citizen.getByLabel('反映内容').fill(content);
    await citizen.getByRole('button', { name: '提交' }).click();
    await citizen.waitForURL(/\/opinions\/opinion-\d{4}-\d+$/);
    await citizen.getByTestId('opinion-stage').filter({ hasText: '待代表答复' }).waitFor();
    // Phone first: nothing wider than the screen.
    const overflow = await citizen.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow as number).toBeLessThanOrEqual(0);
    return citizen.url().split('/opinions/')[1];
  });

  await step('citizen finds it under 我的反映', pages, async () => {
    await citizen.goto(`${konsole.url}/opinions`);
    await untilVisible(citizen, () => citizen.getByTestId('opinion-row').filter({ hasText: caseId }));
  });

  await step('the deputy of the station answers it', pages, async () => {
    await deputy.goto(`${konsole.url}/opinions?station=${STATION}`);
    await untilVisible(deputy, () => deputy.getByTestId('opinion-row').filter({ hasText: caseId }));
    await deputy.getByTestId('opinion-row').filter({ hasText: caseId }).click();
    await deputy.waitForURL(new RegExp(`/opinions/${caseId}$`));
    // The deputy may answer; rating is the citizen's.
    expect(await deputy.getByTestId('form-opinion-rating').count()).toBe(0);
    const form = deputy.getByTestId('form-answer');
    await form.getByLabel('答复内容').fill('已联系街道和供电所，路灯本周内修复。');
    await form.getByRole('button', { name: '提交答复' }).click();
    await deputy.getByTestId('opinion-stage').filter({ hasText: '已答复，待评价' }).waitFor();
    expect(await deputy.getByTestId('form-answer').count()).toBe(0);
  });

  await step('the citizen reads the answer and rates it', pages, async () => {
    await citizen.goto(`${konsole.url}/opinions/${caseId}`);
    await citizen.getByTestId('opinion-answer').filter({ hasText: '路灯本周内修复' }).waitFor();
    const form = citizen.getByTestId('form-opinion-rating');
    await form.getByText('满意', { exact: true }).click();
    await form.getByRole('button', { name: '提交评价' }).click();
    await citizen.getByTestId('opinion-rating').filter({ hasText: '评价：满意' }).waitFor();
    expect(await citizen.getByTestId('form-opinion-rating').count()).toBe(0);
  });
});

it('the station deputy takes an opinion up as a suggestion; the opinion links to it', async () => {
  const citizen = await signedIn(browser, konsole.url, 'citizen-001', PHONE);
  const deputy = await signedIn(browser, konsole.url, 'deputy-001');
  const pages = [citizen, deputy];

  const caseId = await step('citizen sends a second opinion', pages, async () => {
    await citizen.goto(`${konsole.url}/opinions/new?station=${STATION}`);
    await citizen.getByLabel('反映内容').fill(`建议在滨江公园增设无障碍通道，方便老人和轮椅出行。${Date.now()}`);
    await citizen.getByRole('button', { name: '提交' }).click();
    await citizen.waitForURL(/\/opinions\/opinion-\d{4}-\d+$/);
    return citizen.url().split('/opinions/')[1];
  });

  await step('the deputy takes it up as a suggestion', pages, async () => {
    await deputy.goto(`${konsole.url}/opinions/${caseId}`);
    const form = deputy.getByTestId('form-take-up');
    await form.getByLabel('建议标题').fill('关于滨江公园增设无障碍通道的建议');
    expect(await form.getByLabel('建议内容').inputValue()).toContain('无障碍通道');
    await form.getByRole('button', { name: '转为代表建议' }).click();
    const link = deputy.getByText(/已转为代表建议 suggestion-\d{4}-\d+/);
    await link.waitFor();
    await deputy.getByText(/^suggestion-\d{4}-\d+$/).click();
    await deputy.waitForURL(/\/cases\/suggestion-\d{4}-\d+$/);
    await deputy.getByTestId('case-title').filter({ hasText: '无障碍通道' }).waitFor();
  });
});
