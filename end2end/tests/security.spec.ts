import { test, expect, type Page } from '@playwright/test';
import { hydrated, signIn, watchConsole } from './helpers';

// The Content-Security-Policy in a real browser: a script without the response's nonce is refused
// (a violation event, nothing runs), while every page still hydrates with no console error, the
// chat's socket included. Runs in the laptop project (coordinators' pages are laptop pages);
// Hannah Berg is a participant whose data no other test depends on.

// A signed-out visitor's member pages answer 401 with the sign-in prompt; that page must hydrate too.
async function visit(page: Page, path: string, problems: string[], status = 200) {
  const resp = await page.goto(path);
  expect(resp?.status(), path).toBe(status);
  expect(resp?.headers()['content-security-policy'], path).toContain("'nonce-");
  await hydrated(page);
  // Chromium logs the document's own 401 as a failed load; anything else is a real problem.
  const unexpected = problems.filter((p) => status !== 401 || !p.includes('status of 401'));
  expect(unexpected, path).toEqual([]);
  problems.length = 0;
}

test('a script without the nonce is refused, and nothing runs', async ({ page }) => {
  await page.goto('/sign-in');
  await hydrated(page);
  const outcome = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true;';
    document.body.append(s);
    const img = document.createElement('img');
    img.setAttribute('src', 'https://evil.example/pixel.png');
    document.body.append(img);
    await new Promise((r) => setTimeout(r, 300));
    return { ran: (window as unknown as { __injected?: boolean }).__injected === true, violations };
  });
  expect(outcome.ran).toBe(false);
  expect(outcome.violations).toContain('script-src-elem');
  expect(outcome.violations).toContain('img-src');
});

test('every page hydrates under the policy with no console error', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  for (const path of ['/', '/working-with-a-match', '/activities', '/goals', '/resources', '/apply', '/sign-in', '/forgot-password']) {
    await visit(page, path, problems);
  }
  for (const path of ['/forum', '/news', '/home']) {
    await visit(page, path, problems, 401);
  }

  await signIn(page, 'hannah.berg@example.org');
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible();
  await hydrated(page);
  const href = await page.locator('a[href^="/match/"]').first().getAttribute('href');
  const matchId = href!.match(/^\/match\/(\d+)/)![1];
  for (const path of ['/home', `/match/${matchId}`, `/match/${matchId}/goals`, '/forum', '/news', '/resources', '/profile']) {
    await visit(page, path, problems);
  }
  await visit(page, `/match/${matchId}/chat`, problems);
  await expect(page.locator('.chat-link-status')).toHaveAttribute('data-link', 'Live');
  const event = await page.goto('/forum').then(() => page.locator('.event-list a').first().getAttribute('href'));
  await visit(page, event!, problems);
  const issue = await page.goto('/news').then(() => page.locator('a[href^="/news/"]').first().getAttribute('href'));
  await visit(page, issue!, problems);

  await page.context().clearCookies();
  await signIn(page, 'coordinator@example.org');
  await expect(page.getByRole('heading', { level: 1, name: 'Program overview' })).toBeVisible();
  await hydrated(page);
  for (const path of [
    '/coordinator/dashboard',
    '/coordinator/matches',
    '/coordinator/cohorts',
    '/coordinator/applications',
    '/coordinator/activities',
    '/coordinator/audit',
    `/match/${matchId}`,
    `/match/${matchId}/goals`,
    event!,
    issue!,
  ]) {
    await visit(page, path, problems);
  }
  const application = await page.goto('/coordinator/applications').then(() => page.locator('a[href^="/coordinator/applications/"]').first().getAttribute('href'));
  await visit(page, application!, problems);
  const matching = await page.goto('/coordinator/cohorts').then(() => page.locator('a[href$="/matching"]').first().getAttribute('href'));
  await visit(page, matching!, problems);
});
