import { test, expect, type Page } from '@playwright/test';
import { hydrated, nav, signIn, watchConsole } from './helpers';

// What a browser keeps between visits holds nothing private: the apply form's draft never keeps
// who someone is or their identity answers, and signing out forgets every draft and unsent chat
// message, so the next person at a shared computer finds none of it.

const kept = (page: Page) =>
  page.evaluate(() => {
    const all: Record<string, string> = {};
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      all[key] = localStorage.getItem(key)!;
    }
    return all;
  });

test('the apply draft keeps the long answers but not the email, name or identity answers', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto('/apply');
  await hydrated(page);
  await page.getByLabel('Your name').fill('Ruth Private-Name');
  await page.getByRole('textbox', { name: 'Email' }).fill('ruth.private@example.org');
  await page.getByLabel('Gender (optional)').fill('Private-Gender-Answer');
  await page.getByLabel('Race or ethnicity (optional)').fill('Private-Race-Answer');
  await page.getByLabel('Region').fill('Ohio');
  await page.getByLabel('What do you hope to get from the year?').fill('A colleague to think with.');
  await expect.poll(async () => JSON.stringify(await kept(page))).toContain('A colleague to think with.');
  const stored = JSON.stringify(await kept(page));
  for (const secret of ['ruth.private@example.org', 'Private-Name', 'Private-Gender-Answer', 'Private-Race-Answer']) {
    expect(stored).not.toContain(secret);
  }
  // After a reload the long answers come back; the private ones do not.
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel('What do you hope to get from the year?')).toHaveValue('A colleague to think with.');
  await expect(page.getByLabel('Gender (optional)')).toHaveValue('');
  await expect(page.getByRole('textbox', { name: 'Email' })).toHaveValue('');
  expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
});

test('signing out forgets every draft and unsent message this browser keeps', async ({ page }) => {
  const problems = watchConsole(page);
  await signIn(page, 'mentee@example.org');
  await expect(page).toHaveURL(/\/home$/);
  await hydrated(page);
  // What the forms and the chat keep while someone works (their own keys, as they write them).
  await page.evaluate(() => {
    localStorage.setItem('tandem-apply-draft', '{"hopes":["half-written"]}');
    localStorage.setItem('tandem-chat-unsent-1', '[["c1","See you Tuesday"]]');
  });
  expect(Object.keys(await kept(page)).length).toBeGreaterThan(0);
  await (await nav(page)).getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect((await nav(page)).getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect(await kept(page)).toEqual({});
  expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
});
