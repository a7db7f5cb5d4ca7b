import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as crypto from 'node:crypto';
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
  if (email === DEMO_COORDINATOR && password === DEMO_PASSWORD && (await reuseCoordinatorSession(page))) return;
  await signInWithForm(page, email, password);
  if (email === DEMO_COORDINATOR && password === DEMO_PASSWORD) await keepCoordinatorSession(page);
}

/** Signs in through the form every time, with the code step for the demo coordinator (the
 * secret the demo prints). `signIn` does this too, except that it shares one coordinator session
 * between tests. */
export async function signInWithForm(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (email === DEMO_COORDINATOR && password === DEMO_PASSWORD) {
    await page.waitForURL('**/sign-in/second-factor');
    await enterCode(page, DEMO_TOTP_SECRET);
  }
}

// The server accepts each 30-second code once, so every coordinator sign-in takes a step of its
// own: two dozen of them would add minutes of waiting to the suite. Tests that only need to be
// the coordinator share one session instead (kept in the data folder, for both workers); a test
// that signs the coordinator out uses `signInWithForm`, which makes a session of its own.
function coordinatorSessionFile(): string {
  return path.join(process.env.TANDEM_E2E_DATA!, 'coordinator-session.json');
}

async function reuseCoordinatorSession(page: Page): Promise<boolean> {
  const file = coordinatorSessionFile();
  if (!fs.existsSync(file)) return false;
  await page.context().addCookies(JSON.parse(fs.readFileSync(file, 'utf8')));
  await page.goto('/home');
  if ((await page.getByRole('heading', { level: 1, name: 'Program overview' }).count()) === 1) return true;
  await page.context().clearCookies();
  return false;
}

async function keepCoordinatorSession(page: Page) {
  await page.waitForURL('**/home');
  const cookies = (await page.context().cookies()).filter((c) => c.name.startsWith('tandem_'));
  const file = coordinatorSessionFile();
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(cookies));
  fs.renameSync(`${file}.tmp`, file);
}

export const DEMO_COORDINATOR = 'coordinator@example.org';
/** The demo coordinator's authenticator key (`seed::demo::DEMO_TOTP_SECRET`). */
export const DEMO_TOTP_SECRET = 'TANDEMDEMOCOORDINATORTOTPSECRETX';

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
      value &= (1 << bits) - 1;
    }
  }
  return Buffer.from(out);
}

/** An authenticator app's code (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), computed here
 * with Node's own crypto rather than the server's crate, so the two are checked against each other. */
export function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `use` with the code of the next 30-second step nobody has used for `secret`, in every
 * worker: the server accepts each step once, and one step ahead of its clock. `use` must submit
 * the code and wait for its answer before another worker may take the next step. */
export async function withNextCode(secret: string, use: (code: string) => Promise<void>) {
  const dir = process.env.TANDEM_E2E_DATA!;
  const tag = crypto.createHash('sha256').update(secret).digest('hex').slice(0, 12);
  const lock = path.join(dir, `totp-${tag}.lock`);
  const last = path.join(dir, `totp-${tag}.step`);
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      await sleep(50);
    }
  }
  try {
    const used = fs.existsSync(last) ? Number(fs.readFileSync(last, 'utf8')) : 0;
    const nowStep = () => Math.floor(Date.now() / 30_000);
    const step = Math.max(nowStep(), used + 1);
    while (step > nowStep() + 1) await sleep(250);
    fs.writeFileSync(last, String(step));
    await use(totp(secret, step));
  } finally {
    fs.rmdirSync(lock);
  }
}

/** Enters the next code for `secret` at the sign-in's code step and waits to leave it. */
export async function enterCode(page: Page, secret: string) {
  await withNextCode(secret, async (code) => {
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  });
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

/** A link of the main navigation, ready to click: the Menu opened on a phone, and the link's
 * group opened when it sits in one (a coordinator's Program, Community and Administration). */
export async function navLink(page: Page, name: string) {
  const navigation = await nav(page);
  const link = navigation.getByRole('link', { name, exact: true });
  if (!(await link.isVisible())) {
    // `has` looks inside each group, so the inner locator starts from the page, not the nav.
    const hidden = page.getByRole('link', { name, exact: true, includeHidden: true });
    await navigation.locator('details.nav-group-menu').filter({ has: hidden }).locator('summary').click();
  }
  return link;
}

/** The site's code (WASM and JS under /pkg), held back to play a page before it arrives; the
 * stylesheet still loads. */
export const WASM_AND_JS = (url: URL) => url.pathname.startsWith('/pkg/') && /\.(wasm|js)$/.test(url.pathname);

/** A link to `href` put at the top of the page, for a test to follow as a link on the page
 * would be followed (the navigator takes it; Playwright's `goto` would load a new document). */
export async function linkTo(page: Page, href: string) {
  await page.evaluate((h) => {
    document.getElementById('test-link')?.remove();
    const a = document.createElement('a');
    a.id = 'test-link';
    a.href = h;
    a.textContent = 'test link';
    document.body.prepend(a);
  }, href);
  return page.locator('#test-link');
}
