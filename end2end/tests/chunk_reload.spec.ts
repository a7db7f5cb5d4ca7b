import { test, expect } from '@playwright/test';
import { hydrated, nav } from './helpers';

// A page whose code chunk cannot be fetched (a deploy replaced it, the network dropped) reloads
// once, and only once: here the community pages' chunk never arrives.
test('a chunk that fails to load reloads the page once, then leaves it readable', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  let blocked = 0;
  await page.route(/\/pkg\/split_community_page_[^/]*\.wasm$/, (route) => {
    blocked += 1;
    return route.abort('internetdisconnected');
  });
  let loads = 0;
  page.on('load', () => (loads += 1));

  await (await nav(page)).getByRole('link', { name: 'Activities', exact: true }).click();
  // The reload fetched the page from the server, which renders it whole.
  await expect(page.getByRole('heading', { level: 1, name: 'Activities' })).toBeVisible();
  await expect.poll(() => loads).toBe(1);
  await expect.poll(() => blocked).toBeGreaterThanOrEqual(2);
  // The chunk fails again while the reloaded page hydrates: no second reload.
  await page.waitForTimeout(1500);
  expect(loads).toBe(1);
  await expect(page).toHaveURL(/\/activities$/);
});
