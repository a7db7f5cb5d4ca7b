import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DEMO_PASSWORD = 'demo-password-1';

/** Fails on console errors and uncaught exceptions: hydration must be clean. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return problems;
}

/** Waits until the page's WASM has started (the entry marks <body>; its islands hydrate then). */
export async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

export async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The newest email in the server's outbox folder addressed to `to` (with `subject`, when given:
 * other tests may mail the same person meanwhile, e.g. a news issue), waiting for the worker. */
export async function waitForMail(to: string, after: number, subject?: string): Promise<string> {
  const dir = path.join(process.env.TANDEM_E2E_DATA!, 'outbox');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (fs.existsSync(dir)) {
      const found = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .map((f) => path.join(dir, f))
        .filter((f) => fs.statSync(f).mtimeMs >= after)
        .map((f) => fs.readFileSync(f, 'utf8'))
        .filter((text) => text.includes(`To: ${to}`))
        .filter((text) => subject === undefined || text.includes(`Subject: ${subject}`));
      if (found.length > 0) return found[found.length - 1];
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no email to ${to} in ${dir}`);
}

/** The link to `page` (a reset link unless told) in a plain-text email, with quoted-printable
 * soft breaks undone. */
export function linkIn(mail: string, page = 'reset-password'): string {
  const flat = mail.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const m = flat.match(new RegExp(`https?://\\S+${page}\\?token=[A-Za-z0-9_-]+`));
  if (!m) throw new Error(`no link in mail:\n${mail}`);
  return m[0];
}

/** The main navigation, with its Menu opened where a narrow screen folds the links into it. */
export async function nav(page: Page) {
  const toggle = page.locator('.nav-menu > summary');
  if (await toggle.isVisible()) {
    const open = await page.locator('.nav-menu[open]').count();
    if (open === 0) await toggle.click();
  }
  return page.getByRole('navigation', { name: 'Main' });
}

/** The site's code (WASM and JS under /pkg), held back to play a page before it arrives; the
 * stylesheet still loads. */
export const WASM_AND_JS = (url: URL) => url.pathname.startsWith('/pkg/') && /\.(wasm|js)$/.test(url.pathname);
