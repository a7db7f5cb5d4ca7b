import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import { expectNoSeriousAxeViolations, hydrated, signIn, watchConsole } from './helpers';

// Runs in the laptop project only (playwright.config.ts). A coordinator on a laptop works through the matches: filters to those needing attention (each
// flag names its reason), opens one, and exports the filtered list as CSV.
test('a coordinator filters the matches needing attention, opens one and exports CSV', async ({ page }) => {
  const problems = watchConsole(page);
  await signIn(page, 'coordinator@example.org');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Matches' }).click();
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
  expect(problems).toEqual([]);
});

// The dashboard: counts for a cohort, and a bar's list holds as many matches as the bar says.
test('a coordinator reads the dashboard, filters it, and drills down from a chart', async ({ page }) => {
  const problems = watchConsole(page);
  await signIn(page, 'coordinator@example.org');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
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

  // The chart's "Active" opens the list of exactly those matches.
  await matchesChart.getByRole('link', { name: 'Active' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Matches' })).toBeVisible();
  await expect(page).toHaveURL(/state=active/);
  if (active > 0) {
    await expect(page.locator('.status-line[data-total]')).toHaveAttribute('data-total', String(active));
  } else {
    await expect(page.getByText('No match fits these filters.')).toBeVisible();
  }
  expect(problems).toEqual([]);
});
