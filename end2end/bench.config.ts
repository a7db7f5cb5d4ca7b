import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The browser benchmarks (bench/vitals.sh): the same server and Chromium as the tests, one worker so
// measurements do not share the two cores, service workers allowed (the repeat visit measures them).
export default defineConfig({
  ...base,
  testDir: './bench',
  timeout: 600_000,
  workers: 1,
  use: { ...base.use, serviceWorkers: 'allow' },
  projects: [{ name: 'bench' }],
});
