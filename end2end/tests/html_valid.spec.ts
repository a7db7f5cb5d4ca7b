import { test, expect, type APIRequestContext } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { signIn } from './helpers';

// The server's HTML passes the Nu Html Checker (npm vnu-jar, run with the machine's Java), page by
// page, for a visitor, a participant and a coordinator. What it reports of Leptos's own hydration
// markup is set aside by name below, each with why; anything else fails the test.
const HYDRATION_MARKUP: { why: string; message: RegExp }[] = [
  {
    why: "Leptos marks where each dynamic part of a view begins and ends with an empty comment, `<!>`, which hydration walks by; the checker calls a comment of that form bogus, browsers parse it as an empty comment",
    message: /^Bogus comment\.$/,
  },
];

/** The server-rendered HTML of each path, as the given session gets it. */
async function htmlOf(request: APIRequestContext, paths: string[]): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const p of paths) {
    const r = await request.get(p);
    expect(r.status(), p).toBe(200);
    out.push([p, await r.text()]);
  }
  return out;
}

type Message = { type: string; subType?: string; message: string; extract?: string; url: string; lastLine?: number };

/** The checker's errors and warnings for these pages, one line each, minus the hydration markup. */
function problems(pages: [string, string][]): string[] {
  const dir = test.info().outputPath('html');
  fs.mkdirSync(dir, { recursive: true });
  const byFile = new Map<string, string>();
  const files = pages.map(([p, body], i) => {
    const file = path.join(dir, `${i}${p.replace(/[^a-z0-9]+/gi, '_')}.html`);
    fs.writeFileSync(file, body);
    byFile.set(path.basename(file), p);
    return file;
  });
  const jar: string = require('vnu-jar');
  // vnu prints its JSON report on stderr; the report, not the exit status, decides.
  const run = spawnSync('java', ['-jar', jar, '--format', 'json', '--exit-zero-always', ...files], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error || run.status !== 0) throw new Error(`the Nu checker did not run: ${run.error ?? run.stderr}`);
  const report = JSON.parse(run.stderr) as { messages: Message[] };
  // Every page has hydration markers, so a page with no message at all was not read.
  const read = new Set(report.messages.map((m) => path.basename(m.url)));
  expect(files.filter((f) => !read.has(path.basename(f)))).toEqual([]);
  return report.messages
    .filter((m) => m.type === 'error' || m.subType === 'warning')
    .filter((m) => !HYDRATION_MARKUP.some((h) => h.message.test(m.message)))
    .map((m) => `${byFile.get(path.basename(m.url)) ?? m.url}:${m.lastLine ?? '?'}: ${m.type}${m.subType ? '/' + m.subType : ''}: ${m.message} [${(m.extract ?? '').trim()}]`);
}

test('every page the server renders is valid HTML', async ({ page, request }) => {
  test.setTimeout(180_000);
  const pages = await htmlOf(request, ['/', '/working-with-a-match', '/activities', '/goals', '/resources', '/apply', '/sign-in', '/forgot-password']);

  await signIn(page, 'hannah.berg@example.org');
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible();
  const href = await page.locator('a[href^="/match/"]').first().getAttribute('href');
  const m = href!.match(/^\/match\/\d+/)![0];
  await page.goto('/forum');
  const event = await page.locator('.event-list a').first().getAttribute('href');
  await page.goto('/news');
  const issue = await page.locator('a[href^="/news/"]').first().getAttribute('href');
  pages.push(...(await htmlOf(page.request, ['/home', m, `${m}/goals`, `${m}/chat`, '/forum', event!, '/news', issue!, '/resources', '/profile'])));

  await page.context().clearCookies();
  await signIn(page, 'coordinator@example.org');
  await expect(page.getByRole('heading', { level: 1, name: 'Program overview' })).toBeVisible();
  await page.goto('/coordinator/applications');
  const application = await page.locator('a[href^="/coordinator/applications/"]').first().getAttribute('href');
  await page.goto('/coordinator/cohorts');
  const matching = await page.locator('a[href$="/matching"]').first().getAttribute('href');
  pages.push(
    ...(await htmlOf(page.request, [
      '/coordinator/dashboard', '/coordinator/matches', '/coordinator/cohorts', '/coordinator/applications', application!,
      matching!, '/coordinator/activities', '/coordinator/audit', m, `${m}/goals`,
    ])),
  );
  expect(pages.length).toBe(28);
  expect(problems(pages)).toEqual([]);
});
