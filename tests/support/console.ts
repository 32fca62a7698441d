// The console (督办台) for the browser tests and the console benchmark: the service in-process
// over a started system, and Debian's chromium driven by Playwright.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { createConsoleApp, demoPeople, devTokenSource, listen } from '@duban/console/src/main';
import demo from '@duban/registry/data/demo.json';
import { ROOT } from './paths';
import { ISSUER, SECRET, logger, type System } from './system';

export const WEB_DIR = path.join(ROOT, 'services/console/dist');
export const ARTEFACTS = path.join(ROOT, 'test-results/console');

/** Builds the web app if this checkout has not yet (make install builds it). */
export function ensureWebBuilt(): void {
  if (existsSync(path.join(WEB_DIR, 'index.html'))) return;
  execFileSync('npm', ['run', '--silent', '-w', '@duban/console', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * The console over a system (with its oversight service); citizenUrl, dutiesUrl, livelihoodUrl,
 * scoresUrl and notificationsUrl where the test runs those services (else their pages answer 502
 * or 503); `people` replaces the demo people on the sign-in page.
 */
export async function startConsole(
  sys: Pick<System, 'suggestionsUrl' | 'caseIndexUrl' | 'registryUrl'> & Partial<Pick<System, 'oversightUrl'>>,
  opts: {
    citizenUrl?: string;
    dutiesUrl?: string;
    livelihoodUrl?: string;
    scoresUrl?: string;
    notificationsUrl?: string;
    people?: ReturnType<typeof demoPeople>;
  } = {},
) {
  ensureWebBuilt();
  const auth = { secret: SECRET, issuer: ISSUER };
  const app = createConsoleApp({
    logger,
    tokens: devTokenSource(opts.people ?? demoPeople(demo), { ...auth, ttl: '1h' }),
    auth,
    suggestionsUrl: sys.suggestionsUrl,
    caseIndexUrl: sys.caseIndexUrl,
    registryUrl: sys.registryUrl,
    citizenUrl: opts.citizenUrl ?? 'http://127.0.0.1:9',
    ...(sys.oversightUrl ? { oversightUrl: sys.oversightUrl } : {}),
    ...(opts.dutiesUrl ? { dutiesUrl: opts.dutiesUrl } : {}),
    ...(opts.livelihoodUrl ? { livelihoodUrl: opts.livelihoodUrl } : {}),
    ...(opts.scoresUrl ? { scoresUrl: opts.scoresUrl } : {}),
    ...(opts.notificationsUrl ? { notificationsUrl: opts.notificationsUrl } : {}),
    webDir: WEB_DIR,
    cookieSecure: false,
  });
  const listening = await listen(app, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${listening.port}`, close: listening.close };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

/** A person in a browser context of their own, signed in through the sign-in page. */
export async function signedIn(
  browser: Browser,
  url: string,
  personId: string,
  viewport = { width: 1280, height: 800 },
) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.getByTestId(`signin-${personId}`).click();
  await page.getByTestId('who').waitFor();
  return page;
}

/** Runs a step; on failure keeps a screenshot of every page in test-results/console (git-ignored). */
export async function step<T>(name: string, pages: Page[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    mkdirSync(ARTEFACTS, { recursive: true });
    for (const [i, p] of pages.entries())
      await p
        .screenshot({ path: path.join(ARTEFACTS, `${name.replace(/\W+/g, '-')}-${i}.png`), fullPage: true })
        .catch(() => {});
    throw err;
  }
}

/**
 * Reloads until the locator shows up (the read model is a moment behind the case). Each look
 * waits for the page's data to render: right after a reload the lists are still being fetched,
 * so an instant isVisible() would miss a row that is there.
 */
export async function untilVisible(page: Page, find: () => ReturnType<Page['locator']>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await find().first().waitFor({ state: 'visible', timeout: 3000 });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`not visible after ${timeoutMs} ms: ${find()}`);
    }
    await page.reload();
  }
}

/**
 * Opens the Ant Design select inside `field` and clicks each option in its own dropdown. The
 * dropdown is found by the listbox id the select's input controls, not by ":visible": a
 * dropdown another select just closed is still visible while it animates out, and an option
 * clicked there vanishes under the pointer. A string matches an option's whole text.
 */
export async function chooseOptions(page: Page, field: ReturnType<Page['locator']>, ...options: (string | RegExp)[]) {
  await field.locator('.ant-select').click();
  const listId = await field.locator('.ant-select input[aria-controls]').getAttribute('aria-controls');
  if (!listId) throw new Error(`the select in ${field} names no listbox`);
  const dropdown = page.locator(`.ant-select-dropdown:has([id="${listId}"])`);
  for (const option of options) await dropdown.getByText(option, { exact: true }).click();
}
