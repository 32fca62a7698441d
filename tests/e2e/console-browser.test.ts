// The console (督办台) in a real browser (Debian's chromium, driven by Playwright) over the
// real stack: a whole suggestion loop through the pages only, across three people; a refused
// action's message beside the field it names; a handler of another unit kept out even by URL.
// A failing step leaves screenshots in test-results/console.
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

const stage = (page: Page, text: string) =>
  page.getByTestId('case-stage').filter({ hasText: text }).waitFor({ timeout: 60_000 });

it('runs a suggestion loop through the pages: submit, accept and assign, reply B, unsatisfied, reply again', async () => {
  const deputy = await signedIn(browser, konsole.url, 'deputy-001');
  const clerk = await signedIn(browser, konsole.url, 'clerk-1');
  const handler = await signedIn(browser, konsole.url, 'handler-edu-bureau');
  const outsider = await signedIn(browser, konsole.url, 'handler-health-commission');
  const pages = [deputy, clerk, handler, outsider];
  const title = `关于学校周边交通安全的建议 ${Date.now()}`;

  const caseId = await step('deputy submits', pages, async () => {
    await deputy.goto(`${konsole.url}/new`);
    await deputy.getByLabel('标题').fill(title);
    await deputy.getByLabel('内容').fill('建议在小学周边增设信号灯和减速带，上下学时段安排交通协管。');
    await deputy.getByRole('button', { name: '提交' }).click();
    await deputy.waitForURL(/\/cases\/suggestion-\d{4}-\d+$/);
    await stage(deputy, '待审核');
    return deputy.url().split('/cases/')[1];
  });

  await step('clerk accepts and assigns', pages, async () => {
    await clerk.goto(`${konsole.url}/todo`);
    await untilVisible(clerk, () => clerk.getByTestId('todo-review').getByText(caseId));
    await clerk.getByTestId('todo-review').getByText(caseId).click();
    await clerk.waitForURL(new RegExp(`/cases/${caseId}$`));
    // The clerk may only review here: the server lists the open actions.
    await clerk.getByTestId('action-review').waitFor();
    expect(await clerk.getByTestId('action-reply').count()).toBe(0);
    const form = clerk.getByTestId('form-review');
    await chooseOptions(clerk, form.locator('[data-field="coHandlers"]'), '市交通运输局');
    await clerk.keyboard.press('Escape');
    await form.getByRole('button', { name: '提交审核交办' }).click();
    await stage(clerk, '办理中');
  });

  await step('another unit cannot open the case', pages, async () => {
    await outsider.goto(`${konsole.url}/cases/${caseId}`);
    await outsider.getByText('案件不存在或无权查看').waitFor();
    expect(await outsider.getByTestId('case-title').count()).toBe(0);
    await outsider.goto(`${konsole.url}/todo`);
    await outsider.getByTestId('todo').waitFor();
    expect(await outsider.getByText(caseId).count()).toBe(0);
  });

  await step('handler is refused a B reply without a commitment, beside the field', pages, async () => {
    await handler.goto(`${konsole.url}/todo`);
    await untilVisible(handler, () => handler.getByTestId('todo-reply').getByText(caseId));
    await handler.getByTestId('todo-reply').getByText(caseId).click();
    await handler.getByTestId('action-reply').click();
    const form = handler.getByTestId('form-reply');
    await form.getByText('B 类').click();
    await form.getByLabel('答复内容').fill('已将三所小学周边信号灯列入年度计划。');
    await form.getByRole('button', { name: '提交答复' }).click();
    const error = form.locator('[data-field="commitments"] .ant-form-item-explain-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/commitment/);
    await stage(handler, '办理中');
  });

  await step('handler replies B with a commitment', pages, async () => {
    const form = handler.getByTestId('form-reply');
    await form.getByRole('button', { name: '添加承诺事项' }).click();
    await form.getByLabel('承诺内容').fill('年底前完成三所小学周边信号灯安装。');
    await form.getByLabel('完成日期').fill(`${new Date().getFullYear() + 1}-06-30`);
    await form.getByRole('button', { name: '提交答复' }).click();
    await stage(handler, '待测评');
  });

  await step('deputy rates it unsatisfied', pages, async () => {
    await deputy.goto(`${konsole.url}/todo`);
    await untilVisible(deputy, () => deputy.getByTestId('todo-rating').getByText(caseId));
    await deputy.getByTestId('todo-rating').getByText(caseId).click();
    const form = deputy.getByTestId('form-rating');
    await form.getByText('不满意', { exact: true }).click();
    await form.getByRole('button', { name: '提交满意度测评' }).click();
    await stage(deputy, '二次办理');
  });

  await step('handler replies again', pages, async () => {
    await handler.goto(`${konsole.url}/todo`);
    await untilVisible(handler, () => handler.getByTestId('todo-secondReply').getByText(caseId));
    await handler.getByTestId('todo-secondReply').getByText(caseId).click();
    await handler.getByTestId('action-reply').click();
    const form = handler.getByTestId('form-reply');
    await form.getByText('A 类').click();
    await form.getByLabel('答复内容').fill('信号灯和减速带已全部安装完成并投入使用。');
    await form.getByRole('button', { name: '提交答复' }).click();
    await stage(handler, '待测评');
  });

  await step('the timeline shows every step', pages, async () => {
    await deputy.goto(`${konsole.url}/cases/${caseId}`);
    const events = deputy.getByTestId('timeline-event');
    const want = ['代表提交建议', '审核交办', '承办单位答复', '代表满意度测评', '启动专项督办'];
    const deadline = Date.now() + 60_000;
    let texts: string[] = [];
    while (Date.now() < deadline) {
      texts = await events.allTextContents();
      if (
        want.every((w) => texts.some((t) => t.includes(w))) &&
        texts.filter((t) => t.includes('承办单位答复')).length === 2
      )
        break;
      await deputy.waitForTimeout(1000);
    }
    for (const w of want) expect(texts.some((t) => t.includes(w))).toBe(true);
    expect(texts.filter((t) => t.includes('承办单位答复'))).toHaveLength(2);
    // Order: submitted first, the second reply last of the people's steps.
    expect(texts[0]).toContain('代表提交建议');
  });
});
