import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { linkTo, signIn } from '../tests/helpers';

// Paint and interactivity on a throttled phone, measured, not asserted (bench/README.md quotes the
// figures): for each page, first visit from an empty cache and a repeat visit, under Lighthouse's
// mobile throttling (Slow 4G: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up; CPU 4x slower),
// and the dashboard under its desktop preset (40 ms, 10 Mbit/s, CPU as is). Printed per page:
// FCP, LCP and the element LCP picked, CLS, and "interactive": when the page finished hydrating
// (the body's data-hydrated attribute, set by the app once it runs).
//   RUNS (default 3) visits per page and kind; the median is printed.

const MOBILE = { latency: 150, down: 1_638_400 / 8, up: 750_000 / 8, cpu: 4 };
const DESKTOP = { latency: 40, down: 10_240_000 / 8, up: 10_240_000 / 8, cpu: 1 };
type Throttle = typeof MOBILE;
const RUNS = Number(process.env.RUNS ?? 3);

// Runs before any page script: records paints, layout shifts and the moment hydration ends.
const OBSERVE = () => {
  const v: Record<string, unknown> = { cls: 0, lcp: 0, lcpElement: '' };
  (window as unknown as { __vitals: typeof v }).__vitals = v;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as PerformanceEntry[]) {
      const lcp = e as PerformanceEntry & { element?: Element };
      v.lcp = e.startTime;
      const el = lcp.element;
      v.lcpElement = el ? `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''}` : '(gone)';
    }
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
      if (!e.hadRecentInput) v.cls = (v.cls as number) + e.value;
    }
  }).observe({ type: 'layout-shift', buffered: true });
  new MutationObserver(() => {
    if (document.body?.dataset.hydrated === 'true' && v.interactive === undefined) v.interactive = performance.now();
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
};

type Figures = { fcp: number; lcp: number; lcpElement: string; cls: number; interactive: number };

/** A new page of `context` on the network and CPU of `t`. */
async function throttledPage(context: BrowserContext, t: Throttle): Promise<Page> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: t.latency, downloadThroughput: t.down, uploadThroughput: t.up,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: t.cpu });
  return page;
}

async function visit(context: BrowserContext, path: string, t: Throttle): Promise<Figures> {
  const page = await throttledPage(context, t);
  await page.goto(path);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1, { timeout: 60_000 });
  // LCP and CLS settle after the last paint; a second is plenty once hydrated.
  await page.waitForTimeout(1500);
  const v = await page.evaluate(() => {
    const w = window as unknown as { __vitals: Record<string, unknown> };
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
    return { ...w.__vitals, fcp } as unknown as Figures;
  });
  await page.close();
  return v;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(browser: Browser, label: string, path: string, t: Throttle, state?: string, phone = true) {
  const options = {
    storageState: state,
    ...(phone ? { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true } : { viewport: { width: 1350, height: 940 } }),
  };
  const first: Figures[] = [];
  const repeat: Figures[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext(options);
    await context.addInitScript(OBSERVE);
    first.push(await visit(context, path, t));
    // The second visit finds the code in the service worker's cache (and the HTTP cache).
    repeat.push(await visit(context, path, t));
    await context.close();
  }
  for (const [kind, runs] of [['first', first], ['repeat', repeat]] as const) {
    const ms = (k: 'fcp' | 'lcp' | 'interactive') => `${Math.round(median(runs.map((r) => r[k])))}`.padStart(6);
    const cls = median(runs.map((r) => r.cls)).toFixed(3);
    const lcpGap = Math.round(median(runs.map((r) => r.lcp - r.fcp)));
    const elements = [...new Set(runs.map((r) => r.lcpElement))].join(', ');
    console.log(
      `${label.padEnd(22)} ${kind.padEnd(6)} FCP ${ms('fcp')} ms  LCP ${ms('lcp')} ms (+${lcpGap}, ${elements})  CLS ${cls}  interactive ${ms('interactive')} ms`,
    );
  }
}

async function stateOf(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.waitForURL((u) => u.pathname !== '/sign-in');
  // A participant's home links to their match; a coordinator's may not (and need not).
  const links = page.locator('a[href^="/match/"]');
  const href = (await links.count()) > 0 ? await links.first().getAttribute('href') : null;
  const path = test.info().outputPath(`${email}.json`);
  await context.storageState({ path });
  await context.close();
  return { path, matchId: href?.match(/^\/match\/(\d+)/)?.[1] };
}

test('paint and interactivity on Slow 4G, first and repeat visits', async ({ browser }) => {
  console.log(`Slow 4G, CPU 4x (dashboard: desktop preset); median of ${RUNS}; times from navigation start`);
  for (const path of ['/', '/apply', '/sign-in']) await measure(browser, path, path, MOBILE);
  const mentee = await stateOf(browser, 'mentee@example.org');
  expect(mentee.matchId).toBeTruthy();
  const m = `/match/${mentee.matchId}`;
  for (const [label, path] of [
    ['/home', '/home'], ['/match/:id', m], ['/match/:id/goals', `${m}/goals`], ['/match/:id/chat', `${m}/chat`], ['/news', '/news'],
  ]) {
    await measure(browser, label, path, MOBILE, mentee.path);
  }
  const coordinator = await stateOf(browser, 'coordinator@example.org');
  await measure(browser, '/coordinator/dashboard', '/coordinator/dashboard', DESKTOP, coordinator.path, false);
});

// A client navigation (frontend/src/navigator.rs) between a participant's pages on the same
// throttled phone: from the click to the next frame painted after the new <main> is in. "cold"
// clicks at once (the page is fetched from the pointer's press on); "prefetched" presses the
// pointer, waits for the fetch, then lets go. Budgets (issue 34): 500 ms and 100 ms, medians.
const NAV_OBSERVE = () => {
  const w = window as unknown as { __nav: { clicked: number; painted: number } };
  w.__nav = { clicked: 0, painted: 0 };
  addEventListener('click', () => (w.__nav = { clicked: performance.now(), painted: 0 }), true);
  new MutationObserver((records) => {
    const swapped = records.some((r) => [...r.addedNodes].some((n) => (n as Element).id === 'main'));
    if (swapped) requestAnimationFrame(() => setTimeout(() => (w.__nav.painted = performance.now()), 0));
  }).observe(document, { childList: true, subtree: true });
};

test('client navigation on Slow 4G: click to painted', async ({ browser }) => {
  const mentee = await stateOf(browser, 'mentee@example.org');
  const m = `/match/${mentee.matchId}`;
  const context = await browser.newContext({ storageState: mentee.path, viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  await context.addInitScript(NAV_OBSERVE);
  const page = await throttledPage(context, MOBILE);
  await page.goto('/home');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1, { timeout: 60_000 });
  const targets = ['/news', '/resources', `${m}/goals`, '/forum', '/home'];
  const cold: number[] = [];
  const warm: number[] = [];
  const go = async (href: string, prefetch: boolean) => {
    const link = await linkTo(page, href);
    if (prefetch) {
      const box = (await link.boundingBox())!;
      await page.mouse.move(box.x + 2, box.y + 2);
      await page.mouse.down();
      await page.waitForTimeout(3000);
      await page.mouse.up();
    } else {
      await link.click();
    }
    await page.waitForFunction(() => (window as unknown as { __nav: { painted: number } }).__nav.painted > 0, null, { timeout: 30_000 });
    const t = await page.evaluate(() => {
      const n = (window as unknown as { __nav: { clicked: number; painted: number } }).__nav;
      return n.painted - n.clicked;
    });
    (prefetch ? warm : cold).push(t);
    await page.waitForTimeout(500);
  };
  for (const href of targets) await go(href, false);
  for (const href of targets) await go(href, true);
  expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
  const fmt = (xs: number[]) => `median ${Math.round(median(xs))} ms (${xs.map((x) => Math.round(x)).join(', ')})`;
  console.log(`client navigation, Slow 4G CPU 4x   cold ${fmt(cold)}`);
  console.log(`client navigation, Slow 4G CPU 4x   prefetched ${fmt(warm)}`);
  await context.close();
});
