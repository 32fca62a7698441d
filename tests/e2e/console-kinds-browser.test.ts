// The console's pages for the other case kinds, in a real browser (Debian's chromium, driven by
// Playwright) over the real stack: the clerk records a review opinion (审议意见) with items for
// two units; the education bureau's handler is refused "done" without evidence (the message
// beside the evidence field), then gives its item-by-item feedback with evidence; the case page
// and 办理过程 show it; the transport bureau's handler sees only its own item; a handler of a
// third unit can neither open it by URL nor find it in 我的案件; the clerk finds the item in 待办
// and closes it (销号). A failing step leaves screenshots in test-results/console.
import type { Browser, Page } from '@playwright/test';
import { startSystem, type System } from '../support/system';
import { chooseOptions, launchChromium, signedIn, startConsole, step, untilVisible } from '../support/console';

let sys: System;
let konsole: Awaited<ReturnType<typeof startConsole>>;
let browser: Browser;

beforeAll(async () => {
  sys = await startSystem();
  konsole = await startConsole(sys);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await konsole?.close();
  await sys?.stop();
});

/** Waits until the timeline lists an event with this label (the read model is a moment behind). */
async function inTimeline(page: Page, label: string, times = 1) {
  const events = page.getByTestId('timeline-event');
  const deadline = Date.now() + 60_000;
  for (;;) {
    const texts = await events.allTextContents();
    if (texts.filter((t) => t.includes(label)).length >= times) return texts;
    if (Date.now() > deadline) throw new Error(`timeline has no "${label}" ×${times}: ${texts.join(' | ')}`);
    await page.waitForTimeout(1000);
  }
}

it('runs a review opinion for two units through the pages: record, item feedback with evidence, 销号', async () => {
  const clerk = await signedIn(browser, konsole.url, 'clerk-1');
  const edu = await signedIn(browser, konsole.url, 'handler-edu-bureau');
  const transport = await signedIn(browser, konsole.url, 'handler-transport-bureau');
  const outsider = await signedIn(browser, konsole.url, 'handler-health-commission');
  const pages = [clerk, edu, transport, outsider];
  const title = `关于义务教育均衡发展情况报告的审议意见 ${Date.now()}`;

  const caseId = await step('clerk records the opinion', pages, async () => {
    await clerk.goto(`${konsole.url}/start`);
    const form = clerk.getByTestId('form-openReviewOpinion');
    await form.waitFor();
    await form.getByLabel('标题').fill(title);
    await form.getByLabel('内容').fill('常委会审议了市政府关于义务教育均衡发展情况的报告，提出以下意见。');
    for (const [n, list, text, unit] of [
      [0, '问题清单', '城区学校大班额问题突出，年内制定化解方案。', '市教育局'],
      [1, '督办清单', '学校周边交通拥堵，上下学时段增设护学岗。', '市交通运输局'],
    ] as const) {
      await form.getByRole('button', { name: '添加审议意见条目' }).click();
      const item = form.locator(`[data-field="items.${n}.list"]`);
      await item.getByText(list).click();
      await form
        .locator(`[data-field="items.${n}.description"] textarea, [data-field="items.${n}.description"] input`)
        .fill(text);
      await chooseOptions(clerk, form.locator(`[data-field="items.${n}.unit"]`), unit);
    }
    await form.getByRole('button', { name: '新建审议意见' }).click();
    await clerk.waitForURL(/\/cases\/review-opinion-\d{4}-\d+$/);
    await clerk.getByTestId('case-title').filter({ hasText: title }).waitFor();
    return clerk.url().split('/cases/')[1];
  });

  await step('a handler of a third unit cannot open it, even by URL', pages, async () => {
    await outsider.goto(`${konsole.url}/cases/${caseId}`);
    await outsider.getByText('案件不存在或无权查看').waitFor();
    expect(await outsider.getByTestId('case-title').count()).toBe(0);
    await outsider.goto(`${konsole.url}/my`);
    await outsider.getByTestId('my-cases').waitFor();
    await outsider.waitForLoadState('networkidle');
    expect(await outsider.getByText(caseId).count()).toBe(0);
  });

  await step('the education bureau finds it in 待办 and in 我的案件, with the working days left', pages, async () => {
    await edu.goto(`${konsole.url}/my`);
    await untilVisible(edu, () => edu.getByTestId(`working-days-${caseId}`));
    expect(await edu.getByTestId(`working-days-${caseId}`).textContent()).toMatch(/剩 \d+ 个工作日|今日到期/);
    await edu.goto(`${konsole.url}/todo`);
    await untilVisible(edu, () => edu.getByTestId('todo-partRectify').getByText(caseId));
    await edu.getByTestId('todo-partRectify').getByText(caseId).click();
    await edu.waitForURL(new RegExp(`/cases/${caseId}$`));
    // Only its own item and part; only its own actions.
    await edu.getByTestId('item-status-1').waitFor();
    expect(await edu.getByTestId('item-status-2').count()).toBe(0);
    expect(await edu.getByTestId('part-transport-bureau').count()).toBe(0);
    await edu.getByTestId('action-submitReport-edu-bureau').waitFor();
    expect(await edu.getByTestId('action-confirmItem-1').count()).toBe(0);
  });

  await step('"done" without evidence is refused beside the evidence field', pages, async () => {
    await edu.getByTestId('action-itemFeedback-1').click();
    const form = edu.getByTestId('form-itemFeedback-1');
    await form.getByLabel('整改进展').fill('已制定大班额化解方案，新建两所学校，秋季学期起执行。');
    await form.locator('[data-field="done"] .ant-switch').click();
    await form.getByRole('button', { name: /提交整改反馈/ }).click();
    const error = form.locator('[data-field="evidence"] .ant-form-item-explain-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/evidence must/);
    expect(await edu.getByTestId('item-status-1').textContent()).toBe('整改中');
  });

  await step('the education bureau reports item 1 done with its evidence', pages, async () => {
    const form = edu.getByTestId('form-itemFeedback-1');
    await form.locator('[data-field="evidence"] .ant-select').click();
    await edu.keyboard.type('教育局文件〔2026〕12号');
    await edu.keyboard.press('Enter');
    await form.getByRole('button', { name: /提交整改反馈/ }).click();
    await edu.getByTestId('item-status-1').filter({ hasText: '待核实销号' }).waitFor({ timeout: 30_000 });
    expect(await edu.getByTestId('item-feedback-1').textContent()).toContain('教育局文件〔2026〕12号');
    // Reported done: no more feedback on it until staff decide.
    expect(await edu.getByTestId('action-itemFeedback-1').count()).toBe(0);
    const texts = await inTimeline(edu, '承办单位逐条反馈');
    expect(texts[0]).toContain('审议意见交办');
    expect(texts.find((t) => t.includes('承办单位逐条反馈'))).toContain('第 1 条');
  });

  await step('the transport bureau sees only its own item, and not the other part’s feedback', pages, async () => {
    await transport.goto(`${konsole.url}/cases/${caseId}`);
    await transport.getByTestId('item-status-2').waitFor();
    expect(await transport.getByTestId('item-status-1').count()).toBe(0);
    await transport.getByTestId('action-itemFeedback-2').waitFor();
    await inTimeline(transport, '审议意见交办');
    const texts = await transport.getByTestId('timeline-event').allTextContents();
    expect(texts.some((t) => t.includes('承办单位逐条反馈'))).toBe(false);
  });

  await step('the clerk finds the item in 待办 and closes it (销号)', pages, async () => {
    await clerk.goto(`${konsole.url}/todo`);
    await untilVisible(clerk, () => clerk.getByTestId('todo-partConfirm').getByText(caseId));
    await clerk.getByTestId('todo-partConfirm').getByText(caseId).click();
    await clerk.waitForURL(new RegExp(`/cases/${caseId}$`));
    // Both parts for the clerk; the units' own actions are not the clerk's.
    await clerk.getByTestId('part-transport-bureau').waitFor();
    expect(await clerk.getByTestId('action-itemFeedback-2').count()).toBe(0);
    await clerk.getByTestId('action-confirmItem-1').click();
    const form = clerk.getByTestId('form-confirmItem-1');
    await form.locator('[data-field="confirm"] .ant-switch').click();
    await form.getByLabel('说明').fill('经核实，化解方案已印发执行，同意销号。');
    await form.getByRole('button', { name: /提交核实销号/ }).click();
    await clerk.getByTestId('item-status-1').filter({ hasText: '已销号' }).waitFor({ timeout: 30_000 });
    await inTimeline(clerk, '核实销号');
  });
});
