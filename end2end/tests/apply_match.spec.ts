import { test, expect, type Browser, type Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, hydrated, linkIn, signIn, waitForMail, watchConsole, navLink } from './helpers';

// Apply as a mentee and as a mentor on a 375 px phone, the coordinator accepts both on a
// laptop and matches them, and both see their partner. It runs in the phone project only (see
// playwright.config.ts): the contexts it needs are made here.
const phone = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true };

async function newPage(browser: Browser, options: object): Promise<Page> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, ...options });
  return context.newPage();
}

/** Opens the link mailed to `email` (found in the outbox folder), confirms, and checks the
 * application is in. */
async function confirmFromMail(page: Page, email: string, since: number) {
  const mail = await waitForMail(email, since, 'Confirm your email to send your Tandem application');
  await page.goto(linkIn(mail, 'apply/confirm'));
  await hydrated(page);
  await page.getByRole('button', { name: 'Confirm and send my application' }).click();
  await expect(page.getByText('your email is confirmed and your application is in')).toBeVisible();
  await page.getByRole('link', { name: 'See your application' }).click();
  await expect(page.getByText('Submitted, waiting for review')).toBeVisible();
}

async function fillApplication(page: Page, role: 'mentee' | 'mentor', name: string, email: string) {
  await page.getByLabel(role === 'mentee' ? 'Mentee: I would like a mentor' : 'Mentor: I would like to mentor a colleague').check();
  await page.getByLabel('Your name').fill(name);
  // 'Email' is also a way to meet: ask for the text box.
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Choose a password').fill('a-long-password');
  await page.getByLabel('Library type').selectOption('public');
  await page.getByLabel('Library or school').fill(role === 'mentee' ? 'Maple Street Library' : 'Oak Hill Library');
  await page.getByLabel('Current role').fill(role === 'mentee' ? "Children's librarian" : 'Head of youth services');
  await page.getByLabel('Years of experience in libraries').fill(role === 'mentee' ? '1' : '12');
  await page.getByLabel('Storytime').check();
  await page.getByLabel('Early literacy').check();
  await page.getByLabel('Region').fill('Ohio');
  await page.getByLabel('Time zone').selectOption('America/New_York');
  await page.getByLabel('Video call').check();
  await page.getByLabel('Chat', { exact: true }).check();
  await page.getByLabel('Hours a month you can give').fill('4');
  if (role === 'mentor') await page.getByLabel('Mentors: how many mentees can you take?').selectOption('1');
  await page.getByLabel('What do you hope to get from the year?').fill('A colleague to think with about storytime.');
}

test('apply on a phone, get accepted and matched, see the partner', async ({ browser }) => {
  const suffix = Date.now().toString(36);
  const menteeName = `Nia Cole ${suffix}`;
  const mentorName = `Olu Ade ${suffix}`;

  // The mentee applies. A missing agreement is answered beside the box, nothing typed is lost,
  // and what was typed survives a reload (the saved draft).
  const mentee = await newPage(browser, phone);
  const menteeProblems = watchConsole(mentee);
  await mentee.goto('/apply');
  await hydrated(mentee);
  await expect(mentee.getByText('Applications for 2027 Winter Intake are open')).toBeVisible();
  await fillApplication(mentee, 'mentee', menteeName, `nia.${suffix}@example.org`);
  await mentee.getByRole('button', { name: 'Send my application' }).click();
  await expect(mentee.getByText("Please agree to the program's commitment to apply.")).toBeVisible();
  await expect(mentee.getByLabel('Library or school')).toHaveValue('Maple Street Library');
  await expectNoSeriousAxeViolations(mentee);
  await mentee.reload();
  await hydrated(mentee);
  await expect(mentee.getByLabel('Library or school')).toHaveValue('Maple Street Library');
  await expect(mentee.getByLabel('Early literacy')).toBeChecked();
  // Who they are is never kept in the draft (a shared computer would show it): typed again.
  await mentee.getByLabel('Your name').fill(menteeName);
  await mentee.getByRole('textbox', { name: 'Email' }).fill(`nia.${suffix}@example.org`);
  await mentee.getByLabel('Choose a password').fill('a-long-password');
  await mentee.getByLabel(/I commit to the program year/).check();
  const menteeSent = Date.now();
  await mentee.getByRole('button', { name: 'Send my application' }).click();
  // Nothing is made until the address is confirmed from the email.
  await expect(mentee.getByText('Check your email to continue.')).toBeVisible();
  await confirmFromMail(mentee, `nia.${suffix}@example.org`, menteeSent);
  const overflow = await mentee.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // The mentor applies the same way.
  const mentor = await newPage(browser, phone);
  await mentor.goto('/apply');
  await hydrated(mentor);
  await fillApplication(mentor, 'mentor', mentorName, `olu.${suffix}@example.org`);
  await mentor.getByLabel(/I commit to the program year/).check();
  const mentorSent = Date.now();
  await mentor.getByRole('button', { name: 'Send my application' }).click();
  await expect(mentor.getByText('Check your email to continue.')).toBeVisible();
  await confirmFromMail(mentor, `olu.${suffix}@example.org`, mentorSent);

  // The coordinator accepts both at once.
  const coordinator = await newPage(browser, { viewport: { width: 1280, height: 800 } });
  const coordinatorProblems = watchConsole(coordinator);
  await signIn(coordinator, 'coordinator@example.org');
  await expect(coordinator).toHaveURL(/\/home$/);
  await (await navLink(coordinator, 'Applications')).click();
  await expect(coordinator.getByRole('heading', { level: 1, name: 'Applications' })).toBeVisible();
  await hydrated(coordinator);
  await coordinator.getByLabel('Search by name or email').fill(suffix);
  await coordinator.getByRole('button', { name: 'Filter' }).click();
  await expect(coordinator.getByText('2 applications')).toBeVisible();
  await hydrated(coordinator);
  await coordinator.getByLabel(`Select ${menteeName}`).check();
  await coordinator.getByLabel(`Select ${mentorName}`).check();
  await coordinator.getByLabel('Decision').selectOption('accepted');
  await coordinator.getByRole('button', { name: 'Apply to selected' }).click();
  await expect(coordinator.getByText('2 applications updated')).toBeVisible();
  await expectNoSeriousAxeViolations(coordinator);

  // And matches them from the suggestions.
  await (await navLink(coordinator, 'Cohorts')).click();
  const row = coordinator.getByRole('row').filter({ hasText: '2027 Winter Intake' });
  await row.getByRole('link', { name: 'Matching' }).click();
  await expect(coordinator.getByRole('heading', { level: 1, name: 'Matching: 2027 Winter Intake' })).toBeVisible();
  await coordinator.getByRole('button', { name: `Suggest mentors for ${menteeName}` }).click();
  const suggestion = coordinator.getByRole('listitem').filter({ hasText: mentorName }).filter({ has: coordinator.getByRole('button', { name: `Match with ${mentorName}` }) });
  await expect(suggestion.getByText('Shares 2 interests: Storytime, Early literacy')).toBeVisible();
  await expectNoSeriousAxeViolations(coordinator);
  await suggestion.getByRole('button', { name: `Match with ${mentorName}` }).click();
  await expect(coordinator.getByText('1 match made.')).toBeVisible();
  await expect(coordinator.getByText(`${mentorName} and ${menteeName}`)).toBeVisible();

  // Both see their partner, with the partner's library and clock.
  await mentee.goto('/home');
  await expect(mentee.getByRole('heading', { level: 2, name: mentorName })).toBeVisible();
  await expect(mentee.getByText('Head of youth services, Oak Hill Library')).toBeVisible();
  await expect(mentee.getByText(/their time now: \d{1,2}:\d{2} [AP]M/)).toBeVisible();
  await hydrated(mentee);
  await expectNoSeriousAxeViolations(mentee);
  await mentor.goto('/home');
  await expect(mentor.getByRole('heading', { level: 2, name: menteeName })).toBeVisible();
  await expect(mentor.getByText('Video call, Chat')).toBeVisible();

  // The browser logs the refused first submit (422); nothing else may go wrong.
  expect(menteeProblems.filter((p) => !p.includes('422'))).toEqual([]);
  expect(coordinatorProblems).toEqual([]);
});
