import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEMO_COORDINATOR,
  enterCode,
  expectNoSeriousAxeViolations,
  hydrated,
  nav,
  signIn,
  signInWithForm,
  watchConsole,
  withNextCode,
} from './helpers';

const CHANGED = 'Your Tandem two-step sign-in changed';

/** Waits for an email to `to` about two-step sign-in, sent after `after`, that says `what`. */
async function mailSaying(to: string, after: number, what: string) {
  const dir = path.join(process.env.TANDEM_E2E_DATA!, 'outbox');
  for (let i = 0; i < 100; i++) {
    const found = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .map((f) => path.join(dir, f))
          .filter((f) => f.endsWith('.eml') && fs.statSync(f).mtimeMs >= after)
          .map((f) => fs.readFileSync(f, 'utf8').replace(/=\r?\n/g, ''))
          .find((m) => m.includes(`To: ${to}`) && m.includes(`Subject: ${CHANGED}`) && m.includes(what))
      : undefined;
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no email to ${to} saying "${what}"`);
}

test('the demo coordinator signs in with the code from the printed key', async ({ page }) => {
  const problems = watchConsole(page);
  await signInWithForm(page, DEMO_COORDINATOR);
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Program overview' })).toBeVisible();
  await page.goto('/second-factor');
  await expect(page.getByText('Two-step sign-in is on.')).toBeVisible();
  await expect(page.getByRole('heading', { name: "Reset someone's two-step sign-in" })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Turn off' })).toHaveCount(0);
  await expectNoSeriousAxeViolations(page);
  expect(problems).toEqual([]);
});

test('a participant sets up two-step sign-in, signs in with a code and a recovery code, and a coordinator resets it', async ({
  browser,
}, testInfo) => {
  // A demo participant no other test signs in as (one per project, since both run): turning
  // two-step sign-in on changes how they sign in.
  const IVY = testInfo.project.name === 'phone' ? 'ivy.thompson@example.org' : 'ella.brooks@example.org';
  const started = Date.now() - 1000;
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchConsole(page);
  await signIn(page, IVY);
  await expect(page).toHaveURL(/\/home$/);
  await page.goto('/profile');
  await page.getByRole('link', { name: 'Manage two-step sign-in' }).click();
  await hydrated(page);
  await expect(page.getByText('Two-step sign-in is off.')).toBeVisible();
  await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  await expect(page.locator('svg.qr-code')).toBeVisible();
  const key = (await page.locator('code.secret').innerText()).replace(/\s/g, '');
  expect(key).toMatch(/^[A-Z2-7]{32}$/);
  await expectNoSeriousAxeViolations(page);

  // A wrong code is answered beside the field.
  await page.getByLabel('Code from your app').fill('000000');
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await expect(page.getByText('That code does not match')).toBeVisible();
  await withNextCode(key, async (code) => {
    await page.getByLabel('Code from your app').fill(code);
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
  });
  const codes = await page.locator('.recovery-codes code').allInnerTexts();
  expect(codes).toHaveLength(10);
  await expect(page.getByText('You have 10 unused recovery codes.')).toBeVisible();
  await mailSaying(IVY, started, 'Two-step sign-in was turned on');

  // Signing in now takes a code after the password.
  await (await nav(page)).getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(IVY);
  await page.getByLabel('Password').fill('demo-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/sign-in\/second-factor$/);
  await expectNoSeriousAxeViolations(page);
  await page.getByLabel('Code', { exact: true }).fill('123 456');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('That code is not right')).toBeVisible();
  await enterCode(page, key);
  await expect(page).toHaveURL(/\/home$/);

  // The phone is lost: a recovery code signs in once.
  await (await nav(page)).getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(IVY);
  await page.getByLabel('Password').fill('demo-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Code', { exact: true }).fill(codes[0].toLowerCase());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/home$/);
  await mailSaying(IVY, started, 'A recovery code was used');

  // A coordinator resets it; Ivy is signed out, and her password alone signs her in again.
  const coordinator = await browser.newPage();
  await signIn(coordinator, DEMO_COORDINATOR);
  await expect(coordinator).toHaveURL(/\/home$/);
  await coordinator.goto('/second-factor');
  await coordinator.getByLabel('Their email').fill(IVY);
  await coordinator.getByRole('button', { name: 'Reset their two-step sign-in' }).click();
  await expect(coordinator.getByText('Done: their two-step sign-in is reset')).toBeVisible();
  await coordinator.goto('/coordinator/audit?action=account.second_factor_reset');
  await expect(coordinator.locator('main').getByText(IVY).first()).toBeVisible();
  await mailSaying(IVY, started, 'was reset by Jordan Avery');
  await page.goto('/home');
  await expect(page.getByText('Please sign in to see your match.')).toBeVisible();
  await signIn(page, IVY);
  await expect(page).toHaveURL(/\/home$/);
  expect(problems.filter((p) => !p.includes('401') && !p.includes('422'))).toEqual([]);
  await context.close();
  await coordinator.close();
});
