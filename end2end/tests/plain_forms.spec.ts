import { test, expect } from '@playwright/test';
import { DEMO_PASSWORD, hydrated, watchConsole, nav, WASM_AND_JS } from './helpers';

// Forms before the WASM arrives and without JavaScript: the browser posts a form to its own page
// and the server answers as the hydrated page would, with a refusal beside its field and what was
// typed still there, or a redirect to where the page goes next. The no-js project turns JavaScript
// off; the phone project keeps it on but never lets the WASM arrive, as on a connection that stalls.
test('sign in, log a contact, chat and sign out before (or without) the WASM', async ({ page, javaScriptEnabled }, info) => {
  if (javaScriptEnabled) await page.route(WASM_AND_JS, (route) => route.abort());
  const tag = `${info.project.name} ${Date.now()}`;

  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('dev.okafor@example.org');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('That email and password do not match')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue('dev.okafor@example.org');
  await expect(page.getByLabel('Password')).toHaveValue('');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect((await nav(page)).getByRole('button', { name: 'Sign out' })).toBeVisible();

  // The match's own page, where its chat link points.
  const chatHref = await page.locator('main a[href$="/chat"]').first().getAttribute('href');
  expect(chatHref).toMatch(/^\/match\/\d+\/chat$/);
  await page.goto(chatHref!.replace(/\/chat$/, ''));
  const matchUrl = page.url();
  // The form is in the server's HTML, inside a closed <details> the browser opens by itself.
  const log = page.locator('details.log-contact');
  if (!(await log.evaluate((d: HTMLDetailsElement) => d.open))) await log.locator('summary').click();
  await log.getByLabel('When').fill('2099-01-01');
  await log.getByLabel('How long (minutes)').fill('40');
  await log.getByLabel('A short note (optional)').fill(`Planned storytime (${tag})`);
  await log.getByRole('button', { name: 'Log the contact' }).click();
  await expect(page.getByText('Log a contact once it has happened: today or earlier.')).toBeVisible();
  await expect(page.getByLabel('When')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('How long (minutes)')).toHaveValue('40');
  await expect(page.locator('details.log-contact')).toHaveAttribute('open', '');
  await expect(page.getByLabel('A short note (optional)')).toHaveValue(`Planned storytime (${tag})`);
  await page.getByLabel('When').fill(new Date().toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Log the contact' }).click();
  await expect(page).toHaveURL(matchUrl);
  await expect(page.getByText('Contact logged.')).toBeVisible();
  await expect(page.getByText(`Planned storytime (${tag})`)).toBeVisible();

  await page.goto(`${matchUrl}/chat`);
  await page.getByLabel('Message', { exact: true }).fill(`Hello from a page without its WASM (${tag})`);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page).toHaveURL(`${matchUrl}/chat`);
  await expect(page.getByText(`Hello from a page without its WASM (${tag})`)).toBeVisible();

  await (await nav(page)).getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect((await nav(page)).getByRole('link', { name: 'Sign in' })).toBeVisible();
});

// A refusal rendered by the server hydrates into the same page: the error stays beside its field,
// nothing is reported in the console, and the hydrated form then signs in through JSON.
test('a refused post made before hydration is still shown once the WASM arrives', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'needs the WASM');
  await page.route(WASM_AND_JS, (route) => route.abort());
  await page.goto('/sign-in');
  await page.unroute(WASM_AND_JS);
  await page.getByLabel('Email').fill('dev.okafor@example.org');
  await page.getByLabel('Password').fill('not-the-password');
  // Watched from the refused page on: the first page's held-back WASM fails to load by design.
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/sign-in'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect((await posted).status()).toBe(422);
  const problems = watchConsole(page);
  await hydrated(page);
  await expect(page.getByText('That email and password do not match')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue('dev.okafor@example.org');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByText('That email and password do not match')).toHaveCount(0);
  // Chromium reports the refused page's own 422 in the console; anything else is a problem.
  expect(problems.filter((p) => !p.includes('status of 422'))).toEqual([]);
});

// The goal sheet's steps without JavaScript: Tomás submitted his sheet; his mentor confirms it and
// then saves a change to it, each a plain post answered by the sheet's own page.
test('a mentor confirms and changes the goal sheet without JavaScript', async ({ page, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled, 'the no-js project');
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('hannah.berg@example.org');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/home$/);
  const chatHref = await page.locator('main a[href$="/chat"]').first().getAttribute('href');
  const sheet = chatHref!.replace(/\/chat$/, '/goals');
  await page.goto(sheet);
  await page.getByRole('button', { name: 'Confirm the goal sheet' }).click();
  await expect(page).toHaveURL(new RegExp(`${sheet}$`));
  await expect(page.getByRole('button', { name: 'Confirm the goal sheet' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Save the goals' }).click();
  await expect(page.getByText('Saved.', { exact: true })).toBeVisible();
});
