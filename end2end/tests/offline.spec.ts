import { test, expect } from '@playwright/test';
import { hydrated, signIn } from './helpers';

// The service worker (public/sw.js): the site's code and icons come from the device on a repeat
// visit, pages and server functions never do, and a page that cannot be reached shows the offline
// page instead of the browser's error.
test.use({ serviceWorkers: 'allow' });

test('repeat visits take the code from the device, and offline shows what needs a connection', async ({ page, context }) => {
  await page.goto('/');
  await hydrated(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

  // The second visit: the code (and nothing personal) comes from the worker's cache.
  const fromWorker: string[] = [];
  const fromNetwork: string[] = [];
  page.on('response', (r) => {
    // The page itself passes through the worker (to the network, for the offline page) but is
    // never answered from its cache: the cache's contents are checked below.
    if (r.request().resourceType() === 'document') return;
    const path = new URL(r.url()).pathname;
    (r.fromServiceWorker() ? fromWorker : fromNetwork).push(path);
  });
  await page.reload();
  await hydrated(page);
  expect(fromWorker.some((p) => p.startsWith('/pkg/') && p.endsWith('.wasm'))).toBe(true);
  // And once kept, a visit fetches no code at all.
  fromNetwork.length = 0;
  await page.reload();
  await hydrated(page);
  expect(fromNetwork.filter((p) => p.startsWith('/pkg/'))).toEqual([]);
  expect(fromWorker.filter((p) => !p.startsWith('/pkg/') && !/^\/(favicon|icon-|manifest)/.test(p))).toEqual([]);

  // Signed in, still nothing but files is kept.
  await signIn(page, 'dev.okafor@example.org');
  await expect(page).toHaveURL(/\/home$/);
  await hydrated(page);
  const kept = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
    }
    return urls;
  });
  expect(kept.some((p) => p.startsWith('/pkg/') && p.endsWith('.wasm'))).toBe(true);
  expect(kept).toContain('/offline.html');
  expect(kept.filter((p) => !p.startsWith('/pkg/') && !/^\/(favicon|icon-|manifest|offline)/.test(p))).toEqual([]);

  // Offline: a page opened shows the offline page, naming what needs a connection. (A fresh tab:
  // the open one would reload itself when its next chunk fails to arrive.)
  await page.close();
  await context.setOffline(true);
  const tab = await context.newPage();
  await tab.goto('/forum');
  await expect(tab.getByRole('heading', { level: 1, name: 'You are offline' })).toBeVisible();
  await expect(tab.getByText('Tandem needs a connection to show your match')).toBeVisible();
  await context.setOffline(false);
  await tab.getByRole('link', { name: 'Try again' }).click();
  await expect(tab.getByRole('heading', { level: 1, name: /Forum/ })).toBeVisible();
});

test('the manifest makes Tandem installable', async ({ request }) => {
  const r = await request.get('/manifest.webmanifest');
  expect(r.status()).toBe(200);
  const m = await r.json();
  expect(m.display).toBe('standalone');
  expect(m.start_url).toBe('/home');
  const sizes = m.icons.map((i: { sizes: string }) => i.sizes);
  expect(sizes).toContain('192x192');
  expect(sizes).toContain('512x512');
  for (const icon of m.icons) expect((await request.get(icon.src)).status()).toBe(200);
});
