import { test, expect, type Page, type Request } from '@playwright/test';
import { expectNoSeriousAxeViolations, hydrated, linkTo, navLink, signIn, watchConsole } from './helpers';

// With JavaScript, Tandem's links and forms swap the page in place (frontend/src/navigator.rs):
// one document, one WASM start and the header's islands for the whole visit, with what a browser
// does (history, scroll, focus, downloads) kept, and a full load wherever a swap would be wrong.

/** What the page asks the server for from now on. */
function watchRequests(page: Page) {
  const seen: Request[] = [];
  page.on('request', (r) => seen.push(r));
  return {
    documents: () => seen.filter((r) => r.resourceType() === 'document').map((r) => new URL(r.url()).pathname),
    /** The site's main module (the lazy islands' chunks are fetched by the pages that use them). */
    mainWasm: () => seen.filter((r) => /^\/pkg\/tandem\.[^/]*\.wasm$/.test(new URL(r.url()).pathname)).length,
    chunks: () => seen.filter((r) => /^\/pkg\/(split_|chunk_)[^/]*\.wasm$/.test(new URL(r.url()).pathname)).map((r) => r.url()),
    to: (path: string) => seen.filter((r) => new URL(r.url()).pathname === path),
  };
}

/** The navigation entries of the document: one for the whole visit when nothing reloads. */
const documentLoads = (page: Page) => page.evaluate(() => performance.getEntriesByType('navigation').length);

/** Follows a link the page does not show, as a link on it would be followed. */
async function follow(page: Page, href: string) {
  await (await linkTo(page, href)).click();
}

async function heading(page: Page, name: string | RegExp) {
  const h1 = page.getByRole('heading', { level: 1, name, exact: typeof name === 'string' });
  await expect(h1).toBeVisible();
  return h1;
}

test('a walk through the pages stays in one document, with focus, title and navigation following', async ({ page }) => {
  const problems = watchConsole(page);
  await signIn(page, 'mentee@example.org');
  await page.goto('/home');
  await hydrated(page);
  const requests = watchRequests(page);
  await page.evaluate(() => {
    (window as unknown as { kept: string }).kept = 'still here';
    const island = document.querySelector('leptos-island[data-island^="LiveNotices"]') as unknown as { mark: string };
    island.mark = 'the same element';
  });

  const walk: [string, string | RegExp][] = [
    ['Forum', 'Mentoring Forum'],
    ['News', 'Program News'],
    ['Resources', 'Resources'],
    ['Working with a Match', 'Working with a Match'],
    ['My match', /^Welcome, /],
  ];
  for (const [link, name] of walk) {
    await (await navLink(page, link)).click();
    const h1 = await heading(page, name);
    await expect(h1).toBeFocused();
    await expect(page).toHaveTitle(/· Tandem$/);
    await expect(page.locator('#page-announcer')).toHaveText(await page.title());
    await expect(page.locator('[aria-current="page"]')).toHaveCount(1);
    await expect(page.getByRole('link', { name: link, exact: true, includeHidden: true })).toHaveAttribute('aria-current', 'page');
    await expect(page.locator('.nav-menu[open]')).toHaveCount(0);
  }
  await page.locator('main').getByRole('link', { name: /goal sheet/i }).first().click();
  await heading(page, 'Goal sheet');
  await expect(page.getByRole('navigation', { name: 'Main' }).locator('[aria-current="page"]')).toHaveCount(0);
  await page.locator('.nav-chat').click();
  await heading(page, /^Chat with /);
  await expect(page.locator('.chat-link-status')).toHaveAttribute('data-link', 'Live');
  await expectNoSeriousAxeViolations(page);

  expect(await documentLoads(page)).toBe(1);
  expect(requests.documents()).toEqual([]);
  expect(requests.mainWasm()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { kept?: string }).kept)).toBe('still here');
  const island = await page.evaluate(
    () => (document.querySelector('leptos-island[data-island^="LiveNotices"]') as unknown as { mark?: string } | null)?.mark,
  );
  expect(island).toBe('the same element');
  expect(problems).toEqual([]);
});

test('back and forward restore each page and its scroll; a new page starts at the top', async ({ page }) => {
  await page.goto('/working-with-a-match');
  await hydrated(page);
  const scrolled = await page.evaluate(() => {
    window.scrollTo(0, 700);
    return Math.round(window.scrollY);
  });
  expect(scrolled).toBeGreaterThan(200);
  // Clicked from script: Playwright's own click would scroll the header's link into view first.
  await page.evaluate(() => document.querySelector<HTMLAnchorElement>('nav a[href="/goals"]')!.click());
  await heading(page, 'Goals');
  expect(await page.evaluate(() => window.scrollY)).toBe(0);

  await page.goBack();
  await heading(page, 'Working with a Match');
  await expect.poll(() => page.evaluate(() => Math.round(window.scrollY))).toBe(scrolled);
  await page.goForward();
  await heading(page, 'Goals');
  expect(await page.evaluate(() => window.scrollY)).toBe(0);

  // The skip link moves within the page, with no fetch.
  const requests = watchRequests(page);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/goals#main$/);
  await expect(page.locator('main')).toBeFocused();
  expect(requests.to('/goals')).toEqual([]);
  expect(await documentLoads(page)).toBe(1);
});

test('what a client navigation shows is what a full load shows', async ({ page }, info) => {
  const urls = ['/', '/working-with-a-match', '/goals', '/activities', '/apply', '/sign-in', '/no-such-page'];
  if (info.project.name === 'laptop') {
    await signIn(page, 'coordinator@example.org');
    urls.push(
      '/coordinator/matches?sort=name&dir=desc',
      '/coordinator/matches?flag=any&page=2',
      '/coordinator/applications?status=accepted',
      '/coordinator/dashboard?cohort=1',
    );
  }
  const mainHtml = () =>
    page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      return document.querySelector('main')!.outerHTML;
    });
  // The other tests change the program while this one runs (a contact logged, an application
  // accepted): a page whose two copies differ is compared again, and must agree within 3 tries.
  for (const url of urls) {
    let same = false;
    let last = '';
    for (let attempt = 0; attempt < 3 && !same; attempt++) {
      await page.goto('/goals');
      await hydrated(page);
      await follow(page, url);
      await expect(page).toHaveURL(url);
      await expect(page.locator('main h1')).toBeVisible();
      const swapped = await mainHtml();
      const title = await page.title();
      await page.goto(url);
      await hydrated(page);
      const loaded = await mainHtml();
      same = loaded === swapped && (await page.title()) === title;
      last = `${swapped}\n--- a full load:\n${loaded}`;
    }
    expect(same, `${url}\n${last}`).toBe(true);
  }
});

test('a form is sent without a reload: each post lands once, a refusal keeps what was typed', async ({ page }, info) => {
  const problems = watchConsole(page);
  // Accounts no other test logs contacts for, one per project.
  await signIn(page, info.project.name === 'phone' ? 'dev.okafor@example.org' : 'hannah.berg@example.org');
  await page.goto('/home');
  await hydrated(page);
  const requests = watchRequests(page);
  const note = `Navigator contact ${info.project.name} ${Date.now()}`;
  // The form opens on demand, and stays open on the page that says the contact was logged.
  const openForm = async () => {
    if (!(await page.getByLabel('A short note (optional)').isVisible())) await page.getByText('Log a contact', { exact: true }).click();
  };
  for (const n of [1, 2]) {
    await openForm();
    await page.getByLabel('A short note (optional)').fill(note);
    await page.getByRole('button', { name: 'Log the contact' }).click();
    await expect(page.locator('.contact-list li').filter({ hasText: note })).toHaveCount(n);
    await expect(page.getByText('Contact logged.')).toBeVisible();
  }
  await expect(page.locator('form[aria-busy]')).toHaveCount(0);
  await expect(page).toHaveURL(/\/home$/);

  await openForm();
  await page.getByLabel('When').fill('2099-01-01');
  await page.getByLabel('A short note (optional)').fill('Typed, then refused');
  await page.getByRole('button', { name: 'Log the contact' }).click();
  await expect(page.getByText('Log a contact once it has happened: today or earlier.')).toBeVisible();
  await expect(page.getByLabel('A short note (optional)')).toHaveValue('Typed, then refused');
  await expect(page.getByLabel('When')).toHaveAttribute('aria-invalid', 'true');
  // Focus goes to the field to correct, not back to the top of the page.
  await expect(page.getByLabel('When')).toBeFocused();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.locator('form[aria-busy]')).toHaveCount(0);
  expect(requests.documents()).toEqual([]);
  expect(await documentLoads(page)).toBe(1);
  // Chromium reports the refused post's 422 in the console; anything else is a problem.
  expect(problems.filter((p) => !p.includes('status of 422'))).toEqual([]);
});

test('a missing page, a download and a failed fetch', async ({ page }) => {
  await signIn(page, 'mentee@example.org');
  await page.goto('/forum');
  await hydrated(page);
  await follow(page, '/no-such-page');
  await heading(page, 'We could not find that page');
  await expect(page).toHaveURL(/\/no-such-page$/);
  expect(await documentLoads(page)).toBe(1);

  await page.goBack();
  await heading(page, 'Mentoring Forum');
  await page.locator('main a[href^="/forum/"]').first().click();
  await expect(page.locator('main h1')).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Add to my calendar (.ics)' }).click();
  expect((await download).suggestedFilename()).toMatch(/^tandem-event-\d+\.ics$/);
  expect(await documentLoads(page)).toBe(1);

  // A fetch that fails becomes the browser's own navigation.
  await page.route('**/goals', (route) => (route.request().resourceType() === 'fetch' ? route.abort() : route.continue()));
  const requests = watchRequests(page);
  await (await navLink(page, 'Goals')).click();
  await heading(page, 'Goals');
  expect(requests.documents()).toEqual(['/goals']);
});

test('a page from a newer build is loaded in full, once', async ({ page }) => {
  await page.goto('/working-with-a-match');
  await hydrated(page);
  await page.route('**/goals', async (route) => {
    if (route.request().resourceType() !== 'fetch') return route.continue();
    const answer = await route.fetch();
    const html = (await answer.text()).replace(/(<meta name="tandem-build" content=")[^"]*/, '$1a-newer-build');
    return route.fulfill({ response: answer, body: html });
  });
  const requests = watchRequests(page);
  await (await navLink(page, 'Goals')).click();
  await heading(page, 'Goals');
  await hydrated(page);
  expect(requests.documents()).toEqual(['/goals']);
  expect(requests.to('/goals').length).toBe(2);
});

test('a link is fetched as the pointer goes down, and a slow page shows the progress bar', async ({ page }) => {
  await page.goto('/working-with-a-match');
  await hydrated(page);
  const requests = watchRequests(page);
  const link = await navLink(page, 'Goals');
  const box = (await link.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await expect.poll(() => requests.to('/goals').length).toBe(1);
  await page.mouse.up();
  await heading(page, 'Goals');
  expect(requests.to('/goals').length).toBe(1);

  await page.route('**/activities', async (route) => {
    await new Promise((r) => setTimeout(r, 1200));
    await route.continue();
  });
  await (await navLink(page, 'Activities')).click();
  await expect(page.locator('.nav-progress.is-loading')).toHaveCount(1);
  await heading(page, 'Activities');
  await expect(page.locator('.nav-progress.is-loading')).toHaveCount(0);
});

test('one live connection for the whole visit: the chat uses it, and reads stop when it is left', async ({ page }) => {
  const problems = watchConsole(page);
  const seen: { closed: boolean; sent: string[] }[] = [];
  page.on('websocket', (ws) => {
    const s = { closed: false, sent: [] as string[] };
    seen.push(s);
    ws.on('close', () => (s.closed = true));
    ws.on('framesent', (f) => s.sent.push(String(f.payload)));
  });
  await signIn(page, 'mentee@example.org');
  // The page sign-in landed on opened a connection of its own; the full load below ends it with
  // its document, and Chromium may not report that close (seen when the load came mid-handshake),
  // so only the connections opened from /home on are counted.
  await expect.poll(() => seen.some((s) => s.sent.some((f) => f.includes('"hello"')))).toBe(true);
  const before = seen.length;
  await page.goto('/home');
  await hydrated(page);
  const sockets = () => seen.slice(before);
  await expect.poll(() => sockets().filter((s) => !s.closed).length).toBe(1);
  const requests = watchRequests(page);
  for (let round = 0; round < 2; round++) {
    await page.locator('.nav-chat').click();
    await heading(page, /^Chat with /);
    await expect(page.locator('.chat-link-status')).toHaveAttribute('data-link', 'Live');
    await (await navLink(page, 'My match')).click();
    await heading(page, /^Welcome, /);
  }
  // The header's socket, opened once on the first page, carried both visits to the chat.
  expect(sockets().length).toBe(1);
  expect(sockets()[0].closed).toBe(false);
  const frames = sockets()[0].sent.map((f) => JSON.parse(f) as { type: string });
  expect(frames.filter((f) => f.type === 'hello').length).toBe(1);
  expect(frames.filter((f) => f.type === 'open').length).toBe(2);
  // After the chat said it was left, it sent no read mark.
  const lastLeave = frames.map((f) => f.type).lastIndexOf('leave');
  expect(lastLeave).toBe(frames.length - 1);
  // The chat's code is fetched the first time only.
  expect(requests.chunks().filter((u) => u.includes('split_chat_view')).length).toBe(1);
  expect(await documentLoads(page)).toBe(1);
  expect(problems).toEqual([]);
});

test("the dashboard's figures change when a contact is logged elsewhere, without polling or shifting", async ({ page, browser }, info) => {
  test.skip(info.project.name !== 'laptop', "the coordinators' dashboard is a laptop page");
  test.setTimeout(60_000);
  await signIn(page, 'coordinator@example.org');
  const opened = page.waitForEvent('websocket');
  await page.goto('/coordinator/dashboard');
  await hydrated(page);
  await opened;
  await page.evaluate(() => {
    const w = window as unknown as { shift: number };
    w.shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!e.hadRecentInput) w.shift += e.value;
      }
    }).observe({ type: 'layout-shift', buffered: false });
  });
  const requests = watchRequests(page);
  // Left open and idle, it asks the server for nothing.
  await page.waitForTimeout(11_000);
  expect(requests.to('/coordinator/dashboard')).toEqual([]);
  const before = await page.locator('#dashboard-panels').innerHTML();

  // A mentor logs a contact from another browser.
  const other = await browser.newContext({ baseURL: info.project.use.baseURL });
  const mentor = await other.newPage();
  await signIn(mentor, 'mentor@example.org');
  const match = await mentor.evaluate(async () => {
    const home = await fetch('/home').then((r) => r.text());
    return Number(/\/match\/(\d+)/.exec(home)![1]);
  });
  const logContact = (minutes: string) =>
    mentor.evaluate(
      async ([match_id, minutes]) => {
        const r = await fetch('/api/log_contact', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ match_id, way: 'phone', on_date: new Date().toISOString().slice(0, 10), minutes, note: '' }),
        });
        return r.status;
      },
      [match, minutes] as [number, string],
    );
  const logged = Date.now();
  expect(await logContact('25')).toBe(200);
  await expect(page.locator('#dashboard-updated')).toHaveText(/^Updated at .*: a contact was logged\.$/, { timeout: 2_000 });
  expect(Date.now() - logged).toBeLessThan(2_000);
  expect(await page.locator('#dashboard-panels').innerHTML()).not.toEqual(before);
  // Pushed, then read once: one request for the fresh figures, and nothing moved.
  expect(requests.to('/coordinator/dashboard').length).toBe(1);
  expect(await page.evaluate(() => (window as unknown as { shift: number }).shift)).toBeLessThanOrEqual(0.1);
  expect(await documentLoads(page)).toBe(1);

  // Left for the matches table: the dashboard listens no more, and the table takes its figures
  // in place the same way.
  await (await navLink(page, 'Matches')).click();
  await heading(page, 'Matches');
  const after = watchRequests(page);
  expect(await logContact('15')).toBe(200);
  await expect(page.locator('#match-table-updated')).toHaveText(/a contact was logged\.$/, { timeout: 2_000 });
  expect(after.to('/coordinator/matches').length).toBe(1);
  expect(await documentLoads(page)).toBe(1);
  await page.waitForTimeout(500);
  await other.close();
  expect(after.to('/coordinator/dashboard')).toEqual([]);
});
