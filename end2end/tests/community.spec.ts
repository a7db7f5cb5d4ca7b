import { test, expect, type Browser, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import { expectNoSeriousAxeViolations, hydrated, signIn, watchConsole, nav } from './helpers';

// The Mentoring Forum, the library and Program News on phones (375 px): a coordinator plans an
// event, a participant answers, asks and adds it to a calendar, the coordinator reads the
// question and adds the recording, which the participant then finds in Resources; a news issue
// is composed, previewed as a mentee, published and read in the archive. Noor Haddad (no match)
// is the forum's demo participant; no other browser test signs in as her. Runs once, on phones.
const phone = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true };

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, ...phone });
  return context.newPage();
}

function dayAhead(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test('a webinar from planning to its recording in Resources', async ({ browser }) => {
  test.setTimeout(120_000);
  const coord = await newPage(browser);
  const noor = await newPage(browser);
  const problems = [watchConsole(coord), watchConsole(noor)];
  const title = `Listening well ${Date.now()}`;

  await signIn(coord, 'coordinator@example.org');
  await expect(coord).toHaveURL(/\/home$/);
  await coord.goto('/forum');
  await hydrated(coord);
  await expect(coord.getByRole('heading', { level: 1, name: 'Mentoring Forum' })).toBeVisible();
  await coord.getByText('Plan a new event').click();
  // A time that does not exist (clocks go forward in Chicago) is refused beside the field.
  await coord.getByLabel('Title').fill(title);
  await coord.getByLabel('Description').fill('How to **listen** so your partner talks.\n\n<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">');
  await coord.getByLabel('Date').fill('2030-03-10');
  await coord.getByLabel('Start time').fill('02:30');
  await coord.getByLabel('Time zone of that time').selectOption('America/Chicago');
  await coord.getByLabel('Length in minutes').fill('45');
  await coord.getByLabel('Join link').fill('https://meet.example.org/listening');
  await coord.getByRole('button', { name: 'Create the event' }).click();
  await expect(coord.locator('#f-time-error')).toContainText('does not exist');
  await coord.getByLabel('Date').fill(dayAhead(9));
  await coord.getByLabel('Start time').fill('11:00');
  await coord.getByRole('button', { name: 'Create the event' }).click();
  await expect(coord.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await hydrated(coord);
  const eventUrl = coord.url();
  await expectNoSeriousAxeViolations(coord);
  // The form's draft has done its job although the post landed on another page: planning the
  // next event starts empty.
  await coord.goto('/forum');
  await hydrated(coord);
  await coord.getByText('Plan a new event').click();
  await expect(coord.getByLabel('Title')).toHaveValue('');
  await coord.goto(eventUrl);

  // Noor, in London, sees it in her time zone, answers and asks.
  await signIn(noor, 'noor.haddad@example.org');
  await expect(noor).toHaveURL(/\/home$/);
  await (await nav(noor)).getByRole('link', { name: 'Forum' }).click();
  await expect(noor.getByRole('heading', { level: 1, name: 'Mentoring Forum' })).toBeVisible();
  await expect(noor.getByText('Times are in your time zone, Europe/London.')).toBeVisible();
  await noor.getByRole('link', { name: title }).click();
  await expect(noor.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await hydrated(noor);
  await expect(noor.locator('.lead')).toContainText(/(GMT|BST)/);
  await expect(noor.getByText(/^Planned as .*\(America\/Chicago\)$/)).toBeVisible();
  // The description's markup is shown; its script never ran.
  await expect(noor.locator('.event-description strong')).toHaveText('listen');
  expect(await noor.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  expect(await noor.locator('.event-description [onerror], .event-description script').count()).toBe(0);

  await noor.getByText('Going', { exact: true }).click();
  await noor.getByRole('button', { name: 'Save my answer' }).click();
  await expect(noor.locator('[data-my-answer="going"]')).toBeVisible();
  await noor.getByRole('button', { name: 'Send the question' }).click();
  await expect(noor.locator('#f-question-error')).toContainText('Write your question first.');
  const question = `What if my partner is very quiet? ${Date.now()}`;
  await noor.getByLabel('Your question').fill(question);
  await noor.getByRole('button', { name: 'Send the question' }).click();
  await expect(noor.getByRole('heading', { name: 'Your questions' })).toBeVisible();
  await expect(noor.getByText(question)).toBeVisible();
  await expectNoSeriousAxeViolations(noor);

  // The calendar file puts it at the right moment.
  const download = noor.waitForEvent('download');
  await noor.getByRole('link', { name: 'Add to my calendar (.ics)' }).click();
  const ics = fs.readFileSync((await (await download).path())!, 'utf8');
  expect(ics).toContain('BEGIN:VEVENT');
  expect(ics).toMatch(/DTSTART:\d{8}T\d{6}Z/);
  expect(ics.replace(/\r\n /g, '')).toContain(`SUMMARY:${title}`);

  // The coordinator sees the question, marks it answered, adds the recording and attendance.
  await coord.goto(eventUrl);
  await hydrated(coord);
  const questions = coord.getByRole('region', { name: 'Questions sent in' });
  await expect(questions.getByText(question)).toBeVisible();
  await expect(questions.getByText('Noor Haddad', { exact: true })).toBeVisible();
  await questions.locator('li', { hasText: question }).getByRole('button', { name: 'Mark as answered' }).click();
  await expect(questions.locator('li', { hasText: question }).getByRole('button', { name: 'Mark as not answered' })).toBeVisible();
  await coord.getByLabel('Recording link').fill('https://video.example.org/listening-well');
  await coord.getByRole('button', { name: 'Save the recording link' }).click();
  await expect(coord.getByRole('link', { name: 'Watch the recording' })).toBeVisible();
  await coord.getByLabel('Noor Haddad (Going)').check();
  await coord.getByRole('button', { name: 'Save attendance' }).click();
  await expect(coord.getByLabel('Noor Haddad (Going)')).toBeChecked();

  // Noor finds the recording in Resources, filters by type and bookmarks it.
  await (await nav(noor)).getByRole('link', { name: 'Resources' }).click();
  await expect(noor.getByRole('heading', { level: 1, name: 'Resources' })).toBeVisible();
  await hydrated(noor);
  await noor.getByLabel('Type').selectOption('recording');
  await noor.getByRole('button', { name: 'Show' }).click();
  await expect(noor).toHaveURL(/kind=recording/);
  const card = noor.locator('li.resource', { hasText: title });
  await expect(card.getByRole('link', { name: title })).toHaveAttribute('href', 'https://video.example.org/listening-well');
  await card.getByRole('button', { name: 'Bookmark' }).click();
  await expect(noor.locator('li.resource', { hasText: title }).getByRole('button', { name: 'Bookmarked' })).toHaveAttribute('aria-pressed', 'true');
  await noor.getByLabel('Only my bookmarks').check();
  await noor.getByRole('button', { name: 'Show' }).click();
  await expect(noor).toHaveURL(/mine=1/);
  await expect(noor.locator('li.resource')).toHaveCount(1);
  await expectNoSeriousAxeViolations(noor);
  expect(problems.flat().filter((p) => !p.includes('422'))).toEqual([]);
});

test('Program News composed, previewed as a mentee, published and read', async ({ browser }) => {
  test.setTimeout(120_000);
  const coord = await newPage(browser);
  const noor = await newPage(browser);
  const problems = [watchConsole(coord), watchConsole(noor)];
  const title = `News ${Date.now()}`;

  await signIn(coord, 'coordinator@example.org');
  await expect(coord).toHaveURL(/\/home$/);
  await coord.goto('/news');
  await hydrated(coord);
  await coord.getByRole('link', { name: 'Write a new issue' }).click();
  await expect(coord.getByRole('heading', { level: 1, name: 'Compose Program News' })).toBeVisible();
  await hydrated(coord);
  // Saving without news is refused beside the field, and the title typed stays.
  await coord.getByLabel('Title').fill(title);
  await coord.getByRole('button', { name: 'Save the draft' }).click();
  await expect(coord.locator('#f-news-error')).toContainText('Write the news first.');
  await expect(coord.getByLabel('Title')).toHaveValue(title);
  await coord.getByLabel('News', { exact: true }).fill('The forum has a **new** webinar.\n\n- Sign up on the Forum page');
  await coord.getByLabel('Suggested activity').selectOption({ index: 1 });
  await coord.getByLabel('Discussion question').fill('What did you try this month?');
  await coord.getByLabel('Goal section introduction').fill('Where do your goals stand?');
  await expectNoSeriousAxeViolations(coord);
  await coord.getByRole('button', { name: 'Save the draft' }).click();
  await expect(coord.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await hydrated(coord);
  await expect(coord.getByText('Draft: not published yet')).toBeVisible();

  // Preview as a mentee: her own match's goals.
  await coord.getByLabel('Preview as', { exact: true }).selectOption({ label: 'Grace Kim (mentee, 2026–2027 Mentoring Program)' });
  await coord.getByRole('button', { name: 'Preview' }).click();
  await expect(coord.getByText('Preview: the issue as Grace Kim sees it')).toBeVisible();
  await expect(coord.getByRole('heading', { name: 'With Li Chen' })).toBeVisible();
  await hydrated(coord);
  await expectNoSeriousAxeViolations(coord);

  await coord.getByRole('button', { name: 'Publish and send' }).click();
  await expect(coord.locator('.send-progress')).toBeVisible();
  await expect(coord.locator('.send-progress[data-done="true"]')).toBeVisible({ timeout: 30_000 });

  // Noor reads it in the archive.
  await signIn(noor, 'noor.haddad@example.org');
  await expect(noor).toHaveURL(/\/home$/);
  await (await nav(noor)).getByRole('link', { name: 'News' }).click();
  await expect(noor.getByRole('heading', { level: 1, name: 'Program News' })).toBeVisible();
  await noor.getByRole('link', { name: title }).click();
  await expect(noor.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await hydrated(noor);
  await expect(noor.locator('.news-issue strong').first()).toHaveText('new');
  await expect(noor.getByText('What did you try this month?')).toBeVisible();
  await expectNoSeriousAxeViolations(noor);
  expect(problems.flat().filter((p) => !p.includes('422'))).toEqual([]);
});
