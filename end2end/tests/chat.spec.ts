import { test, expect, type Browser, type Page, type WebSocketRoute } from '@playwright/test';
import { expectNoSeriousAxeViolations, hydrated, signIn, watchConsole } from './helpers';

// Two phones chatting live in the demo's fourth match (Li Chen mentors Grace Kim; no other test
// signs in as them): the unread count changing on the goal sheet page as Li writes, links made clickable and markup shown as
// text, typing and seen, Enter and Shift+Enter, and a dropped connection: a message that could not be sent waits with a retry,
// and what the partner wrote meanwhile arrives once the page is back. Runs once, on phones.
const phone = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true };

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, ...phone });
  return context.newPage();
}

async function openChat(page: Page) {
  await page.goto('/home');
  await hydrated(page);
  await page.getByRole('link', { name: 'Open chat' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /^Chat with / })).toBeVisible();
  await hydrated(page);
  await expect(page.locator('.chat-link-status')).toHaveAttribute('data-link', 'Live');
}

async function send(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

test('two partners chat live, through a dropped connection', async ({ browser }) => {
  test.setTimeout(120_000);
  const li = await newPage(browser);
  const grace = await newPage(browser);
  const problems = [watchConsole(li), watchConsole(grace)];

  // Grace's sockets pass through here, so the test can cut them as a train tunnel would.
  let cut = false;
  const sockets: WebSocketRoute[] = [];
  await grace.routeWebSocket(/\/ws$/, (ws) => {
    if (cut) {
      ws.close();
      return;
    }
    ws.connectToServer();
    sockets.push(ws);
  });

  await signIn(li, 'li.chen@example.org');
  await expect(li.getByRole('heading', { level: 1, name: /Welcome/ })).toBeVisible();
  await signIn(grace, 'grace.kim@example.org');
  await expect(grace.getByRole('heading', { level: 1, name: /Welcome/ })).toBeVisible();
  // Grace reads her goal sheet while Li writes.
  await grace.locator('main a[href$="/goals"]').first().click();
  await expect(grace.getByRole('heading', { level: 1, name: 'Goal sheet' })).toBeVisible();
  await hydrated(grace);
  await expect(grace.locator('.nav-unread')).toHaveCount(0);

  await openChat(li);
  await expectNoSeriousAxeViolations(li);
  await send(li, 'Hello Grace! The list is at https://ala.org/alsc.');
  const liLog = li.locator('.chat-log');
  await expect(liLog.locator('.msg-mine').last()).toContainText('Hello Grace!');
  await expect(liLog.locator('.msg-mine').last().locator('.msg-state')).toHaveText(/M$/);
  await send(li, '<img src=x onerror="window.__xss = 1"><b>bold?</b>');
  await expect(liLog.locator('.msg-mine')).toHaveCount(2);
  await expect(liLog.locator('.msg-mine').last().locator('.msg-state')).toHaveText(/M$/);

  // The count changes on the page Grace is reading, pushed over her page's live connection
  // (no reload, no poll) within a second or two of Li sending.
  await expect(grace.locator('.nav-unread')).toContainText('2', { timeout: 3_000 });
  expect(await grace.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
  // A screen reader hears the count apart from the word, not "Chat2 unread messages".
  await expect(grace.getByRole('link', { name: 'Chat, 2 unread messages', exact: true })).toBeVisible();
  await grace.locator('.nav-chat').click();
  await expect(grace.getByRole('heading', { level: 1, name: 'Chat with Li Chen' })).toBeVisible();
  await hydrated(grace);
  await expect(grace.locator('.chat-link-status')).toHaveAttribute('data-link', 'Live');
  const graceLog = grace.locator('.chat-log');
  const link = graceLog.getByRole('link', { name: 'https://ala.org/alsc' });
  await expect(link).toHaveAttribute('href', 'https://ala.org/alsc');
  await expect(link).toHaveAttribute('rel', /noopener/);
  await expect(graceLog.getByText('<img src=x onerror="window.__xss = 1"><b>bold?</b>')).toBeVisible();
  await expect(graceLog.locator('img, b')).toHaveCount(0);
  expect(await grace.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  // Having read them, the count is gone.
  await expect(grace.locator('.nav-unread')).toHaveCount(0);
  await expectNoSeriousAxeViolations(grace);

  // Typing shows on the other phone; Shift+Enter is a new line, Enter sends.
  const box = grace.getByRole('textbox', { name: 'Message' });
  await box.pressSequentially('Line one');
  await expect(li.getByText('Grace is typing…')).toBeVisible();
  await box.press('Shift+Enter');
  await box.pressSequentially('Line two');
  await box.press('Enter');
  await expect(box).toHaveValue('');
  const liTheirs = liLog.locator('.msg-theirs');
  await expect(liTheirs.last()).toContainText('Line one\nLine two');
  await expect(li.getByText('Grace is typing…')).toHaveCount(0);
  // Li has it on screen, so Grace sees it was seen.
  await expect(graceLog.locator('.msg-mine').last().locator('.msg-state')).toContainText('Seen');

  // Nothing to send is refused beside the box, and nothing is sent.
  await box.fill('   ');
  await box.press('Enter');
  await expect(grace.locator('#chat-error')).toHaveText('Write a message first.');

  // The connection drops.
  cut = true;
  await grace.context().setOffline(true);
  for (const ws of sockets) await ws.close();
  await expect(grace.locator('.chat-link-status')).toContainText('Reconnecting');
  await send(grace, 'Sent from the tunnel');
  const failed = graceLog.locator('.msg-mine').last();
  await expect(failed).toContainText('Not sent.');
  await expect(failed).toContainText('Sent from the tunnel');
  await send(li, 'Sent while you were away');
  await expect(liLog.locator('.msg-mine').last().locator('.msg-state')).toHaveText(/M$/);

  // Back: the page reconnects, gets what it missed once, and the retry sends the kept text.
  cut = false;
  await grace.context().setOffline(false);
  await expect(grace.locator('.chat-link-status')).toHaveAttribute('data-link', 'Live', { timeout: 40_000 });
  await expect(graceLog.getByText('Sent while you were away')).toHaveCount(1);
  await failed.getByRole('button', { name: 'Retry' }).click();
  await expect(graceLog.getByText('Sent from the tunnel')).toHaveCount(1);
  await expect(graceLog.locator('.msg-failed')).toHaveCount(0);
  await expect(liTheirs.last()).toContainText('Sent from the tunnel');
  await expect(liLog.getByText('Sent from the tunnel')).toHaveCount(1);

  // A reload shows the same conversation from the server, in order.
  await grace.reload();
  await hydrated(grace);
  const bodies = await graceLog.locator('.msg .msg-body').allInnerTexts();
  expect(bodies.slice(-3)).toEqual(['Line one\nLine two', 'Sent while you were away', 'Sent from the tunnel']);

  // The browser logs the dropped socket and the failed send while offline; nothing else.
  const expected = /ERR_INTERNET_DISCONNECTED|WebSocket connection|Failed to load resource/;
  for (const p of problems) expect(p.filter((m) => !expected.test(m))).toEqual([]);
});

test("a partner's step on the goal sheet reaches the other as a banner, on whatever page they read", async ({ browser }) => {
  const li = await newPage(browser);
  const grace = await newPage(browser);
  const problems = [watchConsole(li), watchConsole(grace)];
  await signIn(li, 'li.chen@example.org');
  await li.goto('/resources');
  await hydrated(li);
  await expect(li.locator('.live-notice')).toHaveText('');

  await signIn(grace, 'grace.kim@example.org');
  await grace.locator('main a[href$="/goals"]').first().click();
  await expect(grace.getByRole('heading', { level: 1, name: 'Goal sheet' })).toBeVisible();
  await hydrated(grace);
  await grace.getByRole('button', { name: 'Submit the goal sheet' }).click();
  await expect(grace.getByText('Submitted', { exact: false }).first()).toBeVisible();

  // Li hears it where he is, in the polite live region, with the way to the sheet.
  const banner = li.getByRole('status').filter({ hasText: 'Grace submitted the goal sheet.' });
  await expect(banner).toBeVisible({ timeout: 3_000 });
  await expect(grace.locator('.live-notice')).toHaveText('');
  await expectNoSeriousAxeViolations(li);
  await banner.getByRole('link', { name: 'Grace submitted the goal sheet.' }).click();
  await expect(li.getByRole('heading', { level: 1, name: 'Goal sheet' })).toBeVisible();
  await expect(li.locator('.live-notice')).toHaveText('');
  expect(await li.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
  for (const p of problems) expect(p).toEqual([]);
});
