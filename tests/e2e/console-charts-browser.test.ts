// The charts (统计分析) and the operator pages (运维) of the console in a real browser (Debian's
// chromium, driven by Playwright) over the real stack: the registry, the scores and
// notifications services in-process on the test stack's Kafka and FerretDB, the scored
// scenario of services/scores/test/scenario.ts published to Kafka in a jurisdiction of this run.
// The clerk sees the unit ranking with the hand-computed indices (and a unit without figures
// shown as 暂无数据 at the last place), the overdue-by-month columns, and downloads the ranking
// as CSV (checked byte for byte); a handler sees the ranking with its own row marked and no
// other chart; the operator finds a parked delivery, resends it once the mailbox takes mail
// again, and runs a rebuild to its end. A failing step leaves screenshots in test-results/console.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { ReplyReminderSentSchema, create, timestampFromDate } from '@duban/proto';
import { TOPICS, buildEnvelope, createKafka, encodeEnvelope } from '@duban/platform';
import { createRegistryApp } from '@duban/registry/src/main';
import { seedDemo } from '@duban/registry/src/use-cases/seed';
import { createScoresApp } from '@duban/scores/src/main';
import { createNotificationsApp } from '@duban/notifications/src/main';
import { configSchema as notificationsConfig } from '@duban/notifications/src/config';
import { scenario } from '@duban/scores/test/scenario';
import {
  ISSUER,
  SECRET,
  call,
  consumeFromNow,
  eventually,
  logger,
  stackEnv,
  testEvent,
  token,
} from '../support/system';
import { startTestSmtp, type TestSmtp } from '../support/smtp';
import { launchChromium, signedIn, startConsole, step, untilVisible } from '../support/console';

const run = randomUUID().replace(/-/g, '').slice(0, 8);
const J = `cn-charts-${run}`;
const ids = {
  jurisdiction: J,
  unitA: `unit-a-${run}`,
  unitB: `unit-b-${run}`,
  deputy1: `deputy-1-${run}`,
  deputy2: `deputy-2-${run}`,
  cases: `charts-${run}`,
};
const unitC = `unit-c-${run}`;
const UNIT_INBOX = 'transport-bureau@demo.gov.cn';
const reminderCase = `suggestion-2026-8${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;

let registry: ReturnType<typeof createRegistryApp>;
let scores: ReturnType<typeof createScoresApp>;
let notifications: ReturnType<typeof createNotificationsApp>;
let smtp: TestSmtp;
let konsole: Awaited<ReturnType<typeof startConsole>>;
let browser: Browser;
let notificationsUrl = '';

beforeAll(async () => {
  const env = stackEnv();
  const kafka = createKafka({ brokers: env.KAFKA_BROKERS, clientId: `test-admin-${run}`, logger });
  // Only this test's events: earlier tests' would fill the operator's delivery list (the rebuild still reads them all).
  await consumeFromNow(kafka, [`scores-charts-${run}`, `notifications-charts-${run}`]);
  const common = { AUTH_JWT_SECRET: SECRET, AUTH_ISSUER: ISSUER, HTTP_PORT: 0, HTTP_HOST: '127.0.0.1' };
  registry = createRegistryApp({ ...common, MONGO_URL: env.MONGO_URL, MONGO_DB: 'duban_registry' }, logger);
  await registry.start();
  await seedDemo(registry.models!);
  const registryUrl = `http://127.0.0.1:${registry.port}`;

  // This run's jurisdiction: three units (C gets no event), two deputies.
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  const put = async (path: string, body: unknown) =>
    expect((await call('PUT', `${registryUrl}${path}`, { token: staff, body })).status).toBe(200);
  await put(`/v1/jurisdictions/${J}/policy`, {
    name: '图表测试市',
    level: 'city',
    parent: 'cn-national',
    settings: {},
  });
  for (const [unit, name] of [
    [ids.unitA, '测试教育局'],
    [ids.unitB, '测试交通局, 二处'],
    [unitC, '测试卫健委'],
  ])
    await put(`/v1/units/${unit}`, { name, kind: 'government', jurisdiction: J });
  for (const [deputy, name] of [
    [ids.deputy1, '测试代表甲'],
    [ids.deputy2, '测试代表乙'],
  ])
    await put(`/v1/deputies/${deputy}`, { name, jurisdiction: J });

  scores = createScoresApp(
    {
      ...common,
      MONGO_URL: env.MONGO_URL,
      MONGO_DB: `duban_scores_charts_${run}`,
      KAFKA_BROKERS: env.KAFKA_BROKERS,
      KAFKA_GROUP_ID: `scores-charts-${run}`,
      REGISTRY_URL: registryUrl,
      POLICY_CACHE_SECONDS: 0,
    },
    logger,
  );
  await scores.start();

  smtp = await startTestSmtp();
  smtp.refuse.add(UNIT_INBOX);
  notifications = createNotificationsApp(
    notificationsConfig.parse({
      MONGO_URL: env.MONGO_URL,
      MONGO_DB: `duban_notifications_charts_${run}`,
      KAFKA_BROKERS: env.KAFKA_BROKERS.join(','),
      KAFKA_GROUP_ID: `notifications-charts-${run}`,
      REGISTRY_URL: registryUrl,
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: ISSUER,
      HTTP_PORT: '0',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_FROM: '督办系统 <duban@demo.npc.cn>',
      NOTIFY_STAFF_EMAIL: 'committee-staff@demo.npc.cn',
      NOTIFY_LANGUAGE: 'zh',
      NOTIFY_MAX_ATTEMPTS: '2',
      NOTIFY_RETRY_BASE_MS: '100',
      NOTIFY_WEBHOOK_TIMEOUT_MS: '2000',
    }),
    logger,
  );
  await notifications.start();
  notificationsUrl = `http://127.0.0.1:${notifications.port}`;

  // The suggestions service and the case index are not needed here: the to-do page the sign-in
  // lands on says they do not answer, the charts and the operator pages do not use them.
  const nowhere = 'http://127.0.0.1:9';
  konsole = await startConsole(
    { suggestionsUrl: nowhere, caseIndexUrl: nowhere, registryUrl },
    { scoresUrl: `http://127.0.0.1:${scores.port}`, notificationsUrl },
  );
  browser = await launchChromium();

  // The scored scenario, and a reminder to a unit whose mailbox refuses mail for now.
  const dueAt = new Date('2026-05-01T02:00:00Z');
  const reminder = testEvent(reminderCase, 'reminder/1/1', {
    case: 'replyReminderSent',
    value: create(ReplyReminderSentSchema, {
      unit: 'transport-bureau',
      dueAt: timestampFromDate(dueAt),
      reminderNo: 1,
    }),
  });
  const producer = createKafka({ brokers: env.KAFKA_BROKERS, clientId: `test-charts-${run}`, logger }).producer();
  await producer.connect();
  try {
    await producer.send({
      topic: TOPICS.suggestionEvents.name,
      messages: [...scenario(ids).map(buildEnvelope), reminder].map((e) => ({
        key: e.caseId,
        value: encodeEnvelope(e),
      })),
    });
  } finally {
    await producer.disconnect();
  }
});

afterAll(async () => {
  await browser?.close();
  await konsole?.close();
  await notifications?.stop();
  await smtp?.close();
  await scores?.stop();
  await registry?.stop();
});

const figureOf = (page: Page, unit: string) => page.getByTestId(`unit-${unit}-figure`);

it('shows the charts to the clerk with a CSV download, the ranking to a handler, and the operator pages', async () => {
  const clerk = await signedIn(browser, konsole.url, 'clerk-1');
  const handler = await signedIn(browser, konsole.url, 'handler-edu-bureau');
  const operator = await signedIn(browser, konsole.url, 'operator-1');
  const pages = [clerk, handler, operator];
  const stats = `${konsole.url}/stats?year=2026&jurisdiction=${J}`;

  await step('clerk sees the unit ranking', pages, async () => {
    await clerk.getByRole('menuitem', { name: '统计分析' }).click();
    await clerk.getByTestId('stats').waitFor();
    expect(await clerk.getByRole('menuitem', { name: '运维' }).count()).toBe(0);
    await clerk.goto(stats);
    // The read model is a moment behind the events: reload until the last case is in.
    await untilVisible(clerk, () => figureOf(clerk, ids.unitB).filter({ hasText: /^66$/ }));
    await untilVisible(clerk, () => figureOf(clerk, ids.unitA).filter({ hasText: /^53$/ }));
    // Hand-computed in services/scores/test/scenario.ts: B 66 first, A 53 second; C, with no
    // case, shows 暂无数据 at the last place.
    const rows = clerk.getByTestId('stats-units').locator('[data-testid^="unit-"][data-testid$="-' + run + '"]');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual([
      `unit-${ids.unitB}`,
      `unit-${ids.unitA}`,
      `unit-${unitC}`,
    ]);
    expect(await figureOf(clerk, unitC).textContent()).toBe('暂无数据');
    expect(await clerk.getByTestId(`unit-${unitC}`).textContent()).toMatch(/^3测试卫健委/);
    // c2 and c4 became overdue in November; nothing else in the year.
    const nov = clerk.getByTestId('overdue-2026-11');
    expect(await nov.getAttribute('data-total')).toBe('2');
    expect(await clerk.getByTestId('overdue-2026-10').getAttribute('data-total')).toBe('0');
    await clerk.getByTestId(`deputy-${ids.deputy1}`).waitFor();
  });

  await step('clerk downloads the ranking as CSV', pages, async () => {
    const [download] = await Promise.all([
      clerk.waitForEvent('download'),
      clerk.getByTestId('stats-units-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^办理质量指数-2026-\d{8}\.csv$/);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').slice(1).split('\r\n')).toEqual([
      '排名,单位编号,单位名称,办理质量指数,按时率,平均得分,满意率,交办建议,已判按时与否的答复和报告,超期,严重超期',
      `1,${ids.unitB},"测试交通局, 二处",66,50%,60,100%,2,2,1,1`,
      `2,${ids.unitA},测试教育局,53,66.7%,75,66.7%,3,3,1,0`,
      `3,${unitC},测试卫健委,,,,,0,0,0,0`,
      '',
    ]);
  });

  await step('a handler sees the ranking with its own row marked, and no other chart', pages, async () => {
    await handler.goto(`${konsole.url}/stats?year=2026`);
    const own = handler.getByTestId('unit-edu-bureau');
    await own.waitFor();
    expect(await own.getAttribute('data-own')).toBe('true');
    expect(await handler.locator('[data-own="true"]').count()).toBe(1);
    expect(await handler.getByTestId('stats-overdue').count()).toBe(0);
    expect(await handler.getByTestId('stats-deputies').count()).toBe(0);
    expect(await handler.getByTestId('stats-stations').count()).toBe(0);
  });

  const parked = await step('the reminder is parked while the mailbox refuses mail', pages, () =>
    eventually(async () => {
      const r = await call('GET', `${notificationsUrl}/v1/deliveries?status=parked&caseId=${reminderCase}`, {
        token: await token({ role: 'operator', sub: 'operator-1' }),
      });
      return (r.body.items as { id: string; recipient: string }[]).find((d) => d.recipient === 'unit:transport-bureau');
    }, 'the reminder to the transport bureau parked'),
  );

  await step('operator resends the parked delivery', pages, async () => {
    await operator.getByRole('menuitem', { name: '运维' }).click();
    await operator.getByRole('menuitem', { name: '通知投递' }).click();
    // The scenario's cases have parked deliveries too (more than a page): the operator narrows the list to the case.
    await operator.getByLabel('按案件编号筛选').fill(reminderCase);
    const row = operator.getByTestId(`delivery-${parked.id}`);
    await untilVisible(operator, () => row);
    expect(await row.textContent()).toContain('已搁置');
    smtp.refuse.delete(UNIT_INBOX);
    await operator.getByTestId(`resend-${parked.id}`).click();
    await operator.locator('.ant-popconfirm').getByRole('button', { name: '重新发送' }).click();
    await operator.getByText('已重新发送').waitFor();
    await row.waitFor({ state: 'detached' });
    expect(smtp.to(UNIT_INBOX)).toHaveLength(1);
  });

  await step('operator runs a rebuild to its end', pages, async () => {
    await operator.getByRole('menuitem', { name: '统计重建' }).click();
    await operator.getByTestId('rebuild-none').waitFor();
    await operator.getByTestId('rebuild-start').click();
    await operator.locator('.ant-popconfirm').getByRole('button', { name: '开始重建' }).click();
    await operator.getByTestId('rebuild-status').filter({ hasText: '已完成' }).waitFor({ timeout: 90_000 });
    expect(await operator.getByTestId('rebuild-progress').textContent()).toContain('100%');
  });

  await step('the ranking is the same after the rebuild', pages, async () => {
    await clerk.goto(stats);
    await figureOf(clerk, ids.unitB).filter({ hasText: /^66$/ }).waitFor();
    expect(await figureOf(clerk, ids.unitA).textContent()).toBe('53');
    expect(await clerk.getByTestId('overdue-2026-11').getAttribute('data-total')).toBe('2');
  });
});
