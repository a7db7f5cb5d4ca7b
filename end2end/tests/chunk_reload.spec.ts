import { test, expect } from '@playwright/test';
import { hydrated, signIn } from './helpers';

// A page whose island chunk cannot be fetched (a deploy replaced it, the network dropped) reloads
// once, and only once: here the chat's chunk never arrives.
test('a chunk that fails to load reloads the page once, then leaves it readable', async ({ page }) => {
  await signIn(page, 'mentee@example.org');
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible();
  const href = await page.locator('a[href^="/match/"]').first().getAttribute('href');
  const chat = `/match/${href!.match(/^\/match\/(\d+)/)![1]}/chat`;
  let blocked = 0;
  await page.route(/\/pkg\/split_chat_view_loader_[^/]*\.wasm$/, (route) => {
    blocked += 1;
    return route.abort('internetdisconnected');
  });
  let loads = 0;
  page.on('load', () => (loads += 1));

  await page.goto(chat);
  // The server renders the page whole, so it reads the same before and after the reload.
  await expect(page.getByRole('heading', { level: 1, name: /^Chat with / })).toBeVisible();
  await expect.poll(() => loads).toBe(2);
  await expect.poll(() => blocked).toBeGreaterThanOrEqual(2);
  // The chunk fails again after the reload: no second reload.
  await page.waitForTimeout(1500);
  expect(loads).toBe(2);
  await expect(page).toHaveURL(new RegExp(`${chat}$`));
  await hydrated(page);
});
