import { test, expect, type Page } from '@playwright/test';
import { signIn, WASM_AND_JS } from './helpers';

// Nothing waits for the WASM to be seen: with the code held back two seconds (a slow connection),
// each page's largest paint happens before hydration, not when it ends, and nothing on the page
// moves when the WASM arrives (cumulative layout shift at most 0.1, Google's "good"). Paint order
// and layout shift are what the browser records, not timings of this machine; the figures under
// real throttling are in bench/vitals.sh.

const HOLD_MS = 2000;

// Runs before any page script: records paints, layout shifts and the moment hydration ends.
const OBSERVE = () => {
  const v = { cls: 0, lcp: 0, lcpElement: '', interactive: 0 };
  (window as unknown as { __paint: typeof v }).__paint = v;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { element?: Element })[]) {
      v.lcp = e.startTime;
      v.lcpElement = e.element ? e.element.outerHTML.slice(0, 80) : '(gone)';
    }
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
      if (!e.hadRecentInput) v.cls += e.value;
    }
  }).observe({ type: 'layout-shift', buffered: true });
  new MutationObserver(() => {
    if (document.body?.dataset.hydrated === 'true' && !v.interactive) v.interactive = performance.now();
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
};

async function paintOf(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1, { timeout: 30_000 });
  await page.waitForTimeout(1000);
  return page.evaluate(() => (window as unknown as { __paint: { cls: number; lcp: number; lcpElement: string; interactive: number } }).__paint);
}

async function expectPaintedBeforeHydration(page: Page, paths: string[]) {
  const found: string[] = [];
  for (const path of paths) {
    const p = await paintOf(page, path);
    console.log(`${path}: LCP ${Math.round(p.lcp)} ms, hydrated ${Math.round(p.interactive)} ms, CLS ${p.cls.toFixed(3)}, ${p.lcpElement}`);
    if (!(p.lcp < p.interactive - HOLD_MS / 2)) found.push(`${path}: largest paint at hydration (${Math.round(p.lcp)} of ${Math.round(p.interactive)} ms): ${p.lcpElement}`);
    if (p.cls > 0.1) found.push(`${path}: layout shift ${p.cls.toFixed(3)}`);
  }
  expect(found).toEqual([]);
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(OBSERVE);
});

async function holdCode(page: Page) {
  await page.route(WASM_AND_JS, async (route) => {
    await new Promise((r) => setTimeout(r, HOLD_MS));
    await route.continue();
  });
}

test('visitor and participant pages paint before the WASM and do not shift', async ({ page }) => {
  test.setTimeout(120_000);
  test.skip(test.info().project.name !== 'phone', 'phone pages, on the phone');
  await signIn(page, 'hannah.berg@example.org');
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible();
  const href = await page.locator('a[href^="/match/"]').first().getAttribute('href');
  const m = href!.match(/^\/match\/\d+/)![0];
  await holdCode(page);
  await expectPaintedBeforeHydration(page, ['/home', m, `${m}/goals`, `${m}/chat`, '/forum', '/news', '/resources']);
  await page.context().clearCookies();
  await expectPaintedBeforeHydration(page, ['/', '/apply', '/sign-in']);
});

test('the dashboard paints before the WASM and does not shift', async ({ page }) => {
  test.skip(test.info().project.name !== 'laptop', 'a laptop page');
  await signIn(page, 'coordinator@example.org');
  await expect(page.getByRole('heading', { level: 1, name: 'Program overview' })).toBeVisible();
  await holdCode(page);
  await expectPaintedBeforeHydration(page, ['/coordinator/dashboard', '/coordinator/matches']);
});
