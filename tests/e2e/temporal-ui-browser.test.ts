// The Temporal UI reads like the business (issue 15, part 2), checked in a real browser (Debian's
// chromium, driven by Playwright) against the dev server's own Web UI: a suggestion started
// through the suggestions service shows its summary in the workflow list, its details and
// current details on its page, and its timers by name in the history. Screenshots of each page
// go to test-results/temporal-ui (git-ignored).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { temporal } from '@temporalio/proto';
import { defaultPayloadConverter } from '@temporalio/common';
import { ROOT } from '../support/paths';
import { call, eventually, startSystem, token, type System } from '../support/system';
import { launchChromium, untilVisible } from '../support/console';
import { StageSince } from '@duban/workflows';

const ARTEFACTS = path.join(ROOT, 'test-results/temporal-ui');

let sys: System;
let browser: Browser;
let uiUrl: string;

beforeAll(async () => {
  sys = await startSystem();
  browser = await launchChromium();
  uiUrl = process.env.TEMPORAL_UI_URL ?? `http://127.0.0.1:${process.env.TEST_TEMPORAL_UI_PORT ?? '18233'}`;
  mkdirSync(ARTEFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

const text = (p: temporal.api.common.v1.IPayload | null | undefined) =>
  p ? String(defaultPayloadConverter.fromPayload(p)) : undefined;

/** Runs a step; on failure keeps the page's screenshot and text. */
async function step<T>(name: string, page: Page, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const file = path.join(ARTEFACTS, `failed-${name.replace(/\W+/g, '-')}`);
    await page.screenshot({ path: `${file}.png`, fullPage: true }).catch(() => {});
    writeFileSync(`${file}.txt`, await page.innerText('body').catch(() => ''));
    throw err;
  }
}

/** Waits until one of the page's frames shows text that passes `ok`; returns that frame's text. */
async function inSomeFrame(page: Page, ok: (text: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const frame of page.frames()) {
      const t = await frame.innerText('body').catch(() => '');
      if (ok(t)) return t;
    }
    if (Date.now() > deadline) throw new Error(`no frame of the page shows ${what}`);
    await page.waitForTimeout(250);
  }
}

/** The href of the first link named `name` in any of the page's frames. */
async function linkInSomeFrame(page: Page, name: string): Promise<string | null> {
  for (const frame of page.frames()) {
    const link = frame.getByRole('link', { name });
    if (await link.count()) return link.first().getAttribute('href');
  }
  return null;
}

it('shows a suggestion by its summary in the list, and its timers by name in the history', async () => {
  const title = `关于学校周边交通安全的建议 ${Date.now()}`;
  const deputy = await token({ role: 'deputy', sub: 'deputy-001' });
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  const submitted = await call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
    token: deputy,
    body: {
      title,
      content: '建议在小学周边增设信号灯和减速带。',
      category: 'education',
      jurisdiction: 'cn-zj-demo-city',
    },
  });
  expect(submitted.status).toBe(201);
  const caseId: string = submitted.body.caseId;
  const review = await call('POST', `${sys.suggestionsUrl}/v1/suggestions/${caseId}/review`, {
    token: staff,
    body: { decision: 'accept' },
  });
  expect(review.status).toBe(200);

  // What the server holds: the start's user metadata, the timers' summaries, the current details.
  const handle = sys.temporal.workflow.getHandle(caseId);
  const desc = await handle.describe();
  const summary = await desc.staticSummary();
  const details = await desc.staticDetails();
  expect(summary).toBe(`代表建议 ${caseId} · ${title}`);
  expect(details).toContain('- 辖区：cn-zj-demo-city');
  expect(details).toMatch(/- 政策版本：.+ v\d+/);
  expect(details).toContain(`[在督办台打开](http://localhost:4010/cases/${caseId})`);

  const replyTimer = await eventually(async () => {
    const history = await handle.fetchHistory();
    const timers = (history.events ?? []).filter((e) => e.timerStartedEventAttributes);
    return timers.map((e) => text(e.userMetadata?.summary)).find((s) => s?.startsWith('催办提醒'));
  }, 'the reply clock to start its timers with summaries');
  expect(replyTimer).toMatch(/^催办提醒 1 \d{4}-\d{2}-\d{2} \(答复期限 \d{4}-\d{2}-\d{2}\)$/);

  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toContain('**阶段**：assigned');
  expect(metadata.currentDetails).toContain('**单位**：edu-bureau');
  expect(metadata.currentDetails).toMatch(/\*\*下一期限\*\*：\d{4}-\d{2}-\d{2}/);

  // The browser. The list (which carries no user metadata in this UI) shows the case's kind,
  // stage, unit and deadline once their search-attribute columns are added, as docs/temporal-ui.md says.
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const query = encodeURIComponent(`WorkflowId = "${caseId}"`);
  await step('list', page, async () => {
    await page.goto(`${uiUrl}/namespaces/default/workflows?query=${query}`);
    await page.getByTestId('workflows-summary-table-configuration-button').click();
    for (const column of ['CaseKind', 'Stage', 'Unit', 'DueAt'])
      await page.getByTestId(`orderable-list-item-${column}-add-button`).click();
    await page.getByTestId('drawer-close-button').click();
    const row = () => page.getByRole('row').filter({ hasText: caseId });
    await untilVisible(page, row);
    await untilVisible(page, () => row().filter({ hasText: 'assigned' }).filter({ hasText: 'edu-bureau' }));
    expect(await row().first().innerText()).toContain('suggestion');
    await page.screenshot({ path: path.join(ARTEFACTS, 'workflow-list.png'), fullPage: true });
  });

  // The workflow's page: summary, details with the console link, current details from the
  // running workflow. The UI renders each of them as Markdown inside a sandboxed iframe, so the
  // text is looked for in the page's frames, not in its own DOM.
  await step('user-metadata', page, async () => {
    await page.getByRole('link', { name: caseId }).first().click();
    await page.getByTestId('user-metadata-tab').click();
    await inSomeFrame(page, (t) => t.includes(summary!), 'the summary');
    const detailsText = await inSomeFrame(page, (t) => /政策版本：.+ v\d+/.test(t), 'the details');
    expect(detailsText).toContain('辖区：cn-zj-demo-city');
    const link = await linkInSomeFrame(page, '在督办台打开');
    expect(link).toBe(`http://localhost:4010/cases/${caseId}`);
    const current = await inSomeFrame(page, (t) => t.includes('阶段：assigned'), 'the current details');
    expect(current).toContain('单位：edu-bureau');
    expect(current).toMatch(/下一期限：\d{4}-\d{2}-\d{2}/);
    await page.screenshot({ path: path.join(ARTEFACTS, 'workflow-user-metadata.png'), fullPage: true });
  });

  // The history names its timers and activities.
  await step('history', page, async () => {
    await page.getByTestId('history-tab').click();
    await page.getByText(replyTimer!).first().waitFor({ timeout: 30_000 });
    await page
      .getByText(/^交办：确定承办单位、计算期限/)
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(ARTEFACTS, 'workflow-history.png'), fullPage: true });
  });

  // A saved view from docs/temporal-ui.md: "in a stage since before <date>" (StageSince), saved
  // under a name, kept by the browser, and listing the case when picked again.
  await step('saved-view', page, async () => {
    const since = new Date(Date.now() + 60_000).toISOString();
    const view = encodeURIComponent(`Stage = 'assigned' AND StageSince < '${since}' AND ExecutionStatus = 'Running'`);
    await page.goto(`${uiUrl}/namespaces/default/workflows?query=${view}`);
    await untilVisible(page, () => page.getByRole('row').filter({ hasText: caseId }));
    await page.getByTestId('create-view-button').click();
    await page.locator('input[data-testid=workflow-save-view-modal-input]').pressSequentially('Stuck in assigned');
    await page.keyboard.press('Enter');
    await page.goto(`${uiUrl}/namespaces/default/workflows`);
    await page.getByTestId('saved-views-button').click();
    await page.getByText('Stuck in assigned').first().click();
    await untilVisible(page, () => page.getByRole('row').filter({ hasText: caseId }));
    expect(page.url()).toContain('StageSince');
    await page.screenshot({ path: path.join(ARTEFACTS, 'saved-view.png'), fullPage: true });
  });
  await context.close();
});

it('shows each unit part of a review opinion by summary, details and named timers', async () => {
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  const created = await call('POST', `${sys.oversightUrl}/v1/review-opinions`, {
    token: staff,
    body: {
      jurisdiction: 'cn-zj-demo-city',
      title: `关于义务教育和交通治理情况报告的审议意见 ${Date.now()}`,
      items: [
        { list: 'issue', description: '城乡学校师资配置不均衡', unit: 'edu-bureau' },
        { list: 'issue', description: '学校周边交通拥堵治理', unit: 'transport-bureau' },
      ],
    },
  });
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  const partId = `${caseId}.transport-bureau`;
  // Each part's clock starts its timers with their summaries.
  const partTimer = await eventually(async () => {
    const history = await sys.temporal.workflow
      .getHandle(partId)
      .fetchHistory()
      .catch(() => undefined);
    const timers = (history?.events ?? []).filter((e) => e.timerStartedEventAttributes);
    return timers.map((e) => text(e.userMetadata?.summary)).find(Boolean);
  }, 'the transport part to start its timers');
  expect(partTimer).toMatch(/\d{4}-\d{2}-\d{2}/);

  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
  const page = await context.newPage();
  // A review opinion runs as one workflow per unit (its parts), each with its own metadata.
  for (const id of [`${caseId}.edu-bureau`, partId]) {
    const desc = await sys.temporal.workflow.getHandle(id).describe();
    const summary = await desc.staticSummary();
    expect(summary).toContain(`审议意见 ${id}`);
    expect(desc.typedSearchAttributes.get(StageSince)).toBeInstanceOf(Date);
    await step(`review-${id}`, page, async () => {
      await page.goto(`${uiUrl}/namespaces/default/workflows/${encodeURIComponent(id)}/${desc.runId}/user-metadata`);
      await inSomeFrame(page, (t) => t.includes(summary!), `the summary of ${id}`);
      expect(await linkInSomeFrame(page, '在督办台打开')).toMatch(/^http:\/\/localhost:4010\//);
      await inSomeFrame(page, (t) => t.includes('阶段：'), `the current details of ${id}`);
    });
  }
  await step('review-part-history', page, async () => {
    await page.getByTestId('history-tab').click();
    await page.getByText(partTimer!).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTEFACTS, 'review-part-history.png'), fullPage: true });
  });
  await context.close();
});
