import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import { expectNoSeriousAxeViolations, hydrated, signIn, watchConsole, navLink } from './helpers';

// Runs in the laptop project only (playwright.config.ts). A coordinator on a laptop works through the matches: filters to those needing attention (each
// flag names its reason), opens one, and exports the filtered list as CSV.
test('a coordinator filters the matches needing attention, opens one and exports CSV', async ({ page }) => {
  const problems = watchConsole(page);
  await signIn(page, 'coordinator@example.org');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await hydrated(page);
  await (await navLink(page, 'Matches')).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Matches' })).toBeVisible();
  await hydrated(page);
  const status = page.locator('.status-line[data-total]');
  await expect(status).toContainText('needing attention');
  const total = Number(await status.getAttribute('data-total'));
  const flagged = Number(await status.getAttribute('data-flagged'));
  expect(total).toBeGreaterThan(0);
  await expectNoSeriousAxeViolations(page);

  await page.getByLabel('Health').selectOption('any');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/flag=any/);
  await expect(page.locator('.status-line[data-total]')).toHaveAttribute('data-total', String(flagged));
  const rows = page.locator('tbody tr');
  await expect(rows).toHaveCount(Math.min(flagged, 25));
  if (flagged > 0) {
    // Every listed match says why it is listed.
    for (const row of await rows.all()) {
      await expect(row.locator('[data-flag]').first()).toBeVisible();
    }
  }

  // The export has the same rows as the filtered table.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export these matches as CSV' }).click();
  const file = await (await download).path();
  const csv = fs.readFileSync(file!, 'utf8');
  expect(csv.split('\n')[0]).toContain('match_id,cohort,mentor,mentee');
  expect(csv.trim().split('\n').length).toBe(flagged + 1);

  // Back to all matches, and into one.
  await page.getByLabel('Health').selectOption('');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.locator('.status-line[data-total]')).toHaveAttribute('data-total', String(total));
  await page.locator('tbody tr th a').first().click();
  await expect(page.getByRole('heading', { level: 1, name: / and / })).toBeVisible();
  await hydrated(page);

  // The match's detail for coordinators: a private note, an email to both, and ending it.
  const note = `Called the mentor on ${Date.now()}: all well.`;
  const notes = page.locator('section', { has: page.getByRole('heading', { name: 'Coordinator notes' }) });
  await expect(notes.getByText('Only coordinators read these.')).toBeVisible();
  await notes.getByLabel('Add a note').fill(note);
  await notes.getByRole('button', { name: 'Save the note' }).click();
  await expect(notes.getByText(note)).toBeVisible();
  await expect(notes.getByLabel('Add a note')).toHaveValue('');

  const email = page.locator('section', { has: page.getByRole('heading', { name: 'Email both partners' }) });
  await email.getByRole('button', { name: 'Send to both' }).click();
  await expect(email.getByText('Give the email a subject.')).toBeVisible();
  await email.getByLabel('Subject').fill('Checking in before the holidays');
  await email.getByLabel('Message').fill('How are the goals going? Reply if you would like a call.');
  await email.getByRole('button', { name: 'Send to both' }).click();
  await expect(email.getByText('Sent to 2 people.')).toBeVisible();

  // Ending needs a reason, shown beside the field; the match stays active without one.
  const end = page.locator('section', { has: page.getByRole('heading', { name: 'End this match' }) });
  await end.getByRole('button', { name: 'End the match' }).click();
  await expect(end.getByText('Give a reason.')).toBeVisible();
  await expect(page.getByText(/This match is (completed|ended)/)).toHaveCount(0);
  await expectNoSeriousAxeViolations(page);

  // The audit log shows the email, by whom.
  await (await navLink(page, 'Audit log')).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('What was done').selectOption('match.email');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/action=match.email/);
  await expect(page.getByRole('row', { name: /Checking in before the holidays/ }).first()).toContainText('Jordan Avery');
  await expectNoSeriousAxeViolations(page);
  // The browser logs the two refused submits (422, shown beside their fields); nothing else.
  expect(problems.filter((p) => !p.includes('422'))).toEqual([]);
  expect(problems.length).toBe(2);
});

// The dashboard: counts for a cohort, and a bar's list holds as many matches as the bar says.
test('a coordinator reads the dashboard, filters it, and drills down from a chart', async ({ page }) => {
  const problems = watchConsole(page);
  await signIn(page, 'coordinator@example.org');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await hydrated(page);
  await (await navLink(page, 'Dashboard')).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'From application to match' })).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  // Filter to the program year in progress (the cohort with the active matches).
  const cohort = page.getByLabel('Cohort');
  const options = await cohort.locator('option').allTextContents();
  expect(options.length).toBeGreaterThan(1);
  await cohort.selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/cohort=\d+/);
  const matchesChart = page.locator('figure', { has: page.getByRole('heading', { name: 'Matches', exact: true }) });
  const activeCell = matchesChart.getByRole('row', { name: /Active/ }).locator('td');
  const active = Number(await activeCell.getAttribute('data-count'));
  // The drawing reads at a glance: each bar has its name and its figure beside it.
  const bars = matchesChart.locator('svg.bars');
  const labels = (await bars.locator('text.bar-label').allTextContents()).map((t) => t.trim());
  const figures = (await bars.locator('text.bar-figure').allTextContents()).map((t) => t.trim());
  expect(labels).toContain('Active');
  expect(figures[labels.indexOf('Active')]).toBe(String(active));
  await expect(bars.locator('text.bar-label', { hasText: 'Active' })).toBeVisible();
  // The weeks have dated ticks; on a phone every other one gives way.
  const ticks = page.locator('svg.week-axis text');
  await expect(ticks).toHaveCount(7);
  await expect(ticks.first()).toBeVisible();
  await expect(ticks.first()).toHaveText(/^[A-Z][a-z]{2} \d{1,2}$/);
  const narrow = (page.viewportSize()?.width ?? 1280) < 640;
  await (narrow ? expect(ticks.nth(1)).toBeHidden() : expect(ticks.nth(1)).toBeVisible());

  // The chart's "Active" opens the list of exactly those matches.
  await matchesChart.getByRole('link', { name: 'Active' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Matches' })).toBeVisible();
  await expect(page).toHaveURL(/state=active/);
  if (active > 0) {
    await expect(page.locator('.status-line[data-total]')).toHaveAttribute('data-total', String(active));
  } else {
    await expect(page.getByText('No match fits these filters.')).toBeVisible();
  }

  // A goal bar opens the matches with such goals; the exports carry the filters.
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await hydrated(page);
  const goalsChart = page.locator('figure', { has: page.getByRole('heading', { name: 'Goal progress' }) });
  await goalsChart.getByRole('link', { name: 'In progress' }).click();
  await expect(page).toHaveURL(/goal=in_progress/);
  await expect(page.getByLabel('Has a goal')).toHaveValue('in_progress');
  await page.goBack();
  await hydrated(page);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'applications', exact: true }).click();
  const csv = fs.readFileSync((await (await download).path())!, 'utf8');
  expect(csv.split('\n')[0]).toBe('application_id,cohort,name,email,role,state,library_type,region,submitted_on');
  expect(csv.trim().split('\n').length).toBeGreaterThan(1);
  expect(problems).toEqual([]);
});
