import { test, expect } from '@playwright/test';
import { expectNoSeriousAxeViolations, hydrated, watchConsole, nav } from './helpers';

// The program explained, on a phone, on a laptop, and with JavaScript off (the no-js project).
const pages = [
  { link: 'Working with a Match', heading: 'Working with a Match', text: 'The goal sheet acts as a contract' },
  { link: 'Activities', heading: 'Activities', text: 'mock Newbery or Caldecott' },
  { link: 'Goals', heading: 'Goals', text: 'Make new contacts and network within the profession.' },
  { link: 'Resources', heading: 'Resources', text: 'Mentoring Forum webinars' },
  { link: 'Apply', heading: 'Apply to the mentoring program', text: 'Applications for 2027 Winter Intake are open' },
];

test('home explains the program and passes axe', async ({ page, javaScriptEnabled }) => {
  const problems = watchConsole(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: "Mentoring for children's librarians" })).toBeVisible();
  if (javaScriptEnabled) {
    await hydrated(page);
    // axe runs inside the page, so it needs JavaScript; the JS projects check these same pages.
    await expectNoSeriousAxeViolations(page);
  }
  expect(problems).toEqual([]);
});

for (const p of pages) {
  test(`${p.link}: reachable from the navigation, readable, accessible`, async ({ page, javaScriptEnabled }) => {
    const problems = watchConsole(page);
    await page.goto('/');
    if (javaScriptEnabled) await hydrated(page);
    await (await nav(page)).getByRole('link', { name: p.link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: p.heading })).toBeVisible();
    await expect(page.getByText(p.text)).toBeVisible();
    if (javaScriptEnabled) await expectNoSeriousAxeViolations(page);
    expect(problems).toEqual([]);
  });
}

test('the page fits a phone without sideways scrolling', async ({ page }) => {
  await page.goto('/working-with-a-match');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the skip link takes keyboard users to the content', async ({ page }) => {
  await page.goto('/goals');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
});

test('an unknown address says so', async ({ page }) => {
  const resp = await page.goto('/no-such-page');
  expect(resp?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'We could not find that page' })).toBeVisible();
});
