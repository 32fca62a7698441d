// The console's figures (not a timed test): the JS shipped for the first page (gzip), the API
// calls per page, and the time to the first useful paint of the to-do page (navigation start →
// the handler's to-do table showing a case), over a fresh local stack on ports of its own.
// With BENCH_CONSOLE_SCREENSHOTS=1 it also writes docs/console-todo.png and docs/console-case.png.
//   make bench-console        (bench/run.sh console)
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startFreshStack, stopStack, type StackEnv } from '../tests/support/stack-control';
import { ROOT } from '../tests/support/paths';
import { call, startSystem, token } from '../tests/support/system';
import { launchChromium, startConsole } from '../tests/support/console';
import { report } from './support';

const STACK_ENV: StackEnv = {
  DUBAN_DATA_DIR: path.join(ROOT, '.data/bench-console-stack'),
  TEMPORAL_PORT: process.env.BENCH_CONSOLE_TEMPORAL_PORT ?? '23333',
  TEMPORAL_UI_PORT: process.env.BENCH_CONSOLE_TEMPORAL_UI_PORT ?? '23334',
  KAFKA_PORT: process.env.BENCH_CONSOLE_KAFKA_PORT ?? '23192',
  KAFKA_CONTROLLER_PORT: process.env.BENCH_CONSOLE_KAFKA_CONTROLLER_PORT ?? '23193',
  MONGO_PORT: process.env.BENCH_CONSOLE_MONGO_PORT ?? '23117',
};

async function main(): Promise<void> {
  startFreshStack(STACK_ENV);
  const sys = await startSystem();
  const konsole = await startConsole(sys);
  const browser = await launchChromium();
  try {
    // A few suggestions assigned to the education bureau, so its to-do has rows.
    const deputy = await token({ role: 'deputy', sub: 'deputy-001' });
    const staff = await token({ role: 'staff', sub: 'clerk-1' });
    let caseId = '';
    for (let i = 1; i <= 5; i++) {
      const r = await call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
        token: deputy,
        body: {
          title: `关于改善校园周边环境的建议（${i}）`,
          content: '建议增设信号灯、减速带，上下学时段安排交通协管员。',
          category: 'education',
          jurisdiction: 'cn-zj-demo-city',
        },
      });
      caseId = (r.body as { caseId: string }).caseId;
      await call('POST', `${sys.suggestionsUrl}/v1/suggestions/${caseId}/review`, {
        token: staff,
        body: { decision: 'accept', coHandlers: ['transport-bureau'] },
      });
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await context.request.post(`${konsole.url}/api/session`, { data: { personId: 'handler-edu-bureau' } });
    const page = await context.newPage();
    // Wait until the read model has them (the bench measures the page, not the projection lag).
    for (let i = 0; i < 120; i++) {
      const r = await context.request.get(`${konsole.url}/api/todo`);
      const lists = ((await r.json()) as { lists: { items: unknown[] }[] }).lists;
      if (lists[0]?.items.length >= 5) break;
      await page.waitForTimeout(500);
    }
    const measure = async (url: string, ready: string) => {
      const scripts: Buffer[] = [];
      let apiCalls = 0;
      const onResponse = async (res: import('@playwright/test').Response) => {
        if (res.url().includes('/api/')) apiCalls++;
        if (res.request().resourceType() === 'script') scripts.push(await res.body().catch(() => Buffer.alloc(0)));
      };
      page.on('response', onResponse);
      await page.goto(url, { waitUntil: 'commit' });
      await page.locator(ready).first().waitFor();
      const ms = await page.evaluate(() => performance.now());
      await page.waitForLoadState('networkidle');
      page.off('response', onResponse);
      const gzip = scripts.reduce((n, b) => n + gzipSync(b).length, 0);
      return { ms, apiCalls, gzip };
    };
    // Warm (the server's file cache), then cold-cache page loads measured.
    await measure(`${konsole.url}/todo`, '[data-testid="todo-reply"] tbody tr.ant-table-row');
    await context.clearCookies();
    await context.request.post(`${konsole.url}/api/session`, { data: { personId: 'handler-edu-bureau' } });
    const todo = await measure(`${konsole.url}/todo`, '[data-testid="todo-reply"] tbody tr.ant-table-row');
    const casePage = await measure(`${konsole.url}/cases/${caseId}`, '[data-testid="timeline-event"]');
    report(`console: first page JS shipped ${(todo.gzip / 1024).toFixed(0)} KB gzip (target < 500 KB)`, {
      summary: true,
    });
    report(`console: to-do page first useful paint ${todo.ms.toFixed(0)} ms (target < 1000 ms)`, { summary: true });
    report(`console: API calls per page: to-do ${todo.apiCalls}, case page ${casePage.apiCalls}`, { summary: true });
    if (process.env.BENCH_CONSOLE_SCREENSHOTS === '1') {
      await page.goto(`${konsole.url}/todo`);
      await page.locator('[data-testid="todo-reply"] tbody tr.ant-table-row').first().waitFor();
      await page.screenshot({ path: path.join(ROOT, 'docs/console-todo.png') });
      await page.goto(`${konsole.url}/cases/${caseId}`);
      await page.locator('[data-testid="timeline-event"]').nth(1).waitFor();
      await page.screenshot({ path: path.join(ROOT, 'docs/console-case.png') });
    }
  } finally {
    await browser.close();
    await konsole.close();
    await sys.stop();
    stopStack(STACK_ENV);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    stopStack(STACK_ENV);
    process.exit(1);
  },
);
