import { test, expect } from '@playwright/test';
import { expectNoSeriousAxeViolations, hydrated, signIn, WASM_AND_JS } from './helpers';

// The layout a phone gets at 375 px, and the same header as a row at 1280 px.
const narrow = (w: number) => w < 768;

test('the header is one row on a phone, with a Menu that opens in place', async ({ page }) => {
  await page.goto('/');
  const width = page.viewportSize()!.width;
  const header = await page.locator('.site-header').boundingBox();
  const toggle = page.getByText('Menu', { exact: true });
  const apply = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Apply', exact: true });
  if (narrow(width)) {
    expect(header!.height).toBeLessThanOrEqual(72);
    await expect(toggle).toBeVisible();
    await expect(apply).toBeHidden();
    // A <details>: it opens before (and without) the WASM.
    await toggle.click();
    await expect(apply).toBeVisible();
    await hydrated(page);
    await expectNoSeriousAxeViolations(page);
    await apply.click();
    await expect(page.getByRole('heading', { level: 1, name: 'Apply to the mentoring program' })).toBeVisible();
    await expect(apply).toBeHidden();
  } else {
    await expect(toggle).toBeHidden();
    await expect(apply).toBeVisible();
    expect(header!.height).toBeLessThanOrEqual(80);
  }
});

test('a participant keeps the chat link in the header row, and the chat fills the screen', async ({ page }) => {
  // A short phone: 375 × 667.
  if (narrow(page.viewportSize()!.width)) await page.setViewportSize({ width: 375, height: 667 });
  await signIn(page, 'dev.okafor@example.org');
  await expect(page).toHaveURL(/\/home$/);
  await hydrated(page);
  const viewport = page.viewportSize()!;
  const chatLink = page.locator('.site-header .nav-chat');
  await expect(chatLink).toBeVisible();
  const brand = (await page.locator('.site-header .brand').boundingBox())!;
  const link = (await chatLink.boundingBox())!;
  expect(Math.abs(link.y + link.height / 2 - (brand.y + brand.height / 2))).toBeLessThan(12);

  await chatLink.click();
  await expect(page).toHaveURL(/\/match\/\d+\/chat$/);
  await hydrated(page);
  const send = page.getByRole('button', { name: 'Send' });
  const box = page.getByLabel('Message', { exact: true });
  await expect(send).toBeVisible();
  if (narrow(viewport.width)) {
    // Composer and Send on screen without scrolling the page.
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    for (const el of [send, box]) {
      const b = (await el.boundingBox())!;
      expect(b.y + b.height).toBeLessThanOrEqual(viewport.height);
    }
  }
  // The newest message is in view when the chat opens.
  const newest = page.locator('.chat-log .msg').last();
  if (await newest.count()) {
    const scroller = (await page.locator('.chat-scroll').boundingBox())!;
    const last = (await newest.boundingBox())!;
    expect(last.y + last.height).toBeLessThanOrEqual(scroller.y + scroller.height + 1);
    expect(last.y).toBeGreaterThanOrEqual(scroller.y - 1);
  }
  await expectNoSeriousAxeViolations(page);
});

test('the chat opens at its newest message before the WASM arrives', async ({ page, baseURL }, info) => {
  test.skip(info.project.name !== 'phone', 'one project writes to this chat');
  await signIn(page, 'dev.okafor@example.org');
  await expect(page).toHaveURL(/\/home$/);
  const chatHref = (await page.locator('.site-header .nav-chat').getAttribute('href'))!;
  const matchId = Number(chatHref.match(/\/match\/(\d+)\/chat/)![1]);
  // More messages than the log shows at once.
  for (let i = 1; i <= 14; i++) {
    const r = await page.request.post('/api/send_message', {
      headers: { origin: baseURL! },
      data: { match_id: matchId, client_id: `layout-${info.project.name}-${Date.now()}-${i}`, body: `Layout check ${info.project.name} #${i}` },
    });
    expect(r.status()).toBe(200);
  }
  await page.route(WASM_AND_JS, (route) => route.abort());
  await page.goto(chatHref);
  const scroller = (await page.locator('.chat-scroll').boundingBox())!;
  const newest = (await page.getByText(`Layout check ${info.project.name} #14`, { exact: true }).boundingBox())!;
  expect(newest.y + newest.height).toBeLessThanOrEqual(scroller.y + scroller.height + 1);
  expect(newest.y).toBeGreaterThanOrEqual(scroller.y - 1);
  const first = (await page.getByText(`Layout check ${info.project.name} #1`, { exact: true }).boundingBox())!;
  expect(first.y).toBeLessThan(scroller.y);
});

test("a coordinator's navigation is three groups: one row on a laptop, the current place marked", async ({ page }) => {
  await signIn(page, 'coordinator@example.org');
  await page.goto('/coordinator/matches');
  await expect(page.getByRole('heading', { level: 1, name: 'Matches' })).toBeVisible();
  await hydrated(page);
  const navigation = page.getByRole('navigation', { name: 'Main' });
  const toggle = page.locator('.nav-menu > summary');
  if (narrow(page.viewportSize()!.width)) {
    await toggle.click();
  } else {
    // Overview, the three groups, Profile and Sign out share one row.
    await expect(toggle).toBeHidden();
    const header = (await page.locator('.site-header').boundingBox())!;
    expect(header.height).toBeLessThanOrEqual(80);
    const tops = await page
      .locator('.nav-list > li')
      .evaluateAll((items) => items.map((li) => Math.round(li.getBoundingClientRect().top)));
    expect(tops.length).toBe(6);
    expect(new Set(tops).size).toBe(1);
  }
  const program = navigation.locator('summary', { hasText: 'Program' });
  const community = navigation.locator('summary', { hasText: 'Community' });
  // The group of the page shown is marked current, and only it.
  await expect(program).toHaveAttribute('aria-current', 'true');
  await expect(community).not.toHaveAttribute('aria-current', /.*/);
  await expect(navigation.locator('[aria-current="true"]')).toHaveCount(1);
  const dashboard = navigation.getByRole('link', { name: 'Dashboard', exact: true });
  const forum = navigation.getByRole('link', { name: 'Forum', exact: true });
  await expect(dashboard).toBeHidden();
  // A group opens from the keyboard, and opening another closes it.
  await program.focus();
  await page.keyboard.press('Enter');
  await expect(dashboard).toBeVisible();
  await expect(navigation.getByRole('link', { name: 'Matches', exact: true })).toHaveAttribute('aria-current', 'page');
  await expectNoSeriousAxeViolations(page);
  await community.click();
  await expect(forum).toBeVisible();
  await expect(dashboard).toBeHidden();
  await forum.click();
  await expect(page.getByRole('heading', { level: 1, name: /Forum/ })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).locator('summary', { hasText: 'Community' })).toHaveAttribute(
    'aria-current',
    'true',
  );
});
