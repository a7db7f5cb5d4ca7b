import { test, expect } from '@playwright/test';
import { expectNoSeriousAxeViolations, hydrated, linkIn, signIn, signInWithForm, waitForMail, watchConsole, nav } from './helpers';

const roles = [
  { email: 'coordinator@example.org', heading: 'Program overview', sees: '2026–2027 Mentoring Program' },
  { email: 'mentor@example.org', heading: 'Welcome, Maria Alvarez', sees: 'Sam Lee' },
  { email: 'mentee@example.org', heading: 'Welcome, Sam Lee', sees: 'Maria Alvarez' },
];

for (const r of roles) {
  test(`${r.email} signs in to a home that fits, then signs out`, async ({ page }) => {
    const problems = watchConsole(page);
    // Through the form (and the code step, for the coordinator): this test signs out.
    await signInWithForm(page, r.email);
    await expect(page).toHaveURL(/\/home$/);
    await expect(page.getByRole('heading', { level: 1, name: r.heading })).toBeVisible();
    await expect(page.getByText(r.sees).first()).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await (await nav(page)).getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect((await nav(page)).getByRole('link', { name: 'Sign in' })).toBeVisible();
    // Signed out for real: the home asks to sign in again.
    await page.goto('/home');
    await expect(page.getByText('Please sign in to see your match.')).toBeVisible();
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
  });
}

test('a wrong password shows an error and keeps the email typed', async ({ page }) => {
  await signIn(page, 'mentor@example.org', 'not-my-password');
  await expect(page.getByRole('alert').filter({ hasText: 'do not match an account' })).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue('mentor@example.org');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expectNoSeriousAxeViolations(page);
});

test('an empty form is answered beside the field', async ({ page }) => {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Enter your email address.')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
});

test('a forgotten password is reset through the emailed link', async ({ page }, info) => {
  // A different demo account per project, so the runs do not change each other's passwords.
  const email = info.project.name === 'phone' ? 'priya.nair@example.org' : 'tomas.reyes@example.org';
  const started = Date.now() - 1000;
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByText('If an account uses that address')).toBeVisible();

  const link = linkIn(await waitForMail(email, started, 'Reset your Tandem password'));
  const url = new URL(link);
  await page.goto(url.pathname + url.search);
  await hydrated(page);
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('New password again').fill('short');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByText('Use at least 8 characters.')).toBeVisible();

  await page.getByLabel('New password', { exact: true }).fill('a brand new password');
  await page.getByLabel('New password again').fill('a brand new password');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByText('Your password has been changed')).toBeVisible();

  // The link is spent.
  await page.goto(url.pathname + url.search);
  await hydrated(page);
  await page.getByLabel('New password', { exact: true }).fill('yet another password');
  await page.getByLabel('New password again').fill('yet another password');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByText('This reset link has already been used')).toBeVisible();

  await signIn(page, email, 'a brand new password');
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible();
});

test('the profile saves and says what is wrong beside the field', async ({ page }, info) => {
  const email = info.project.name === 'phone' ? 'dev.okafor@example.org' : 'hannah.berg@example.org';
  await signIn(page, email);
  await expect(page).toHaveURL(/\/home$/);
  await (await nav(page)).getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
  await page.getByLabel('Name').fill('');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Enter your name.')).toBeVisible();
  await page.getByLabel('Name').fill('A New Name');
  await page.getByLabel('Pronouns (optional)').fill('they/them');
  await page.getByLabel('Time zone').selectOption('America/Denver');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Your profile is saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Name')).toHaveValue('A New Name');
  await expect(page.getByLabel('Time zone')).toHaveValue('America/Denver');
  await expectNoSeriousAxeViolations(page);
});
