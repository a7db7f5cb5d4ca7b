import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';

// One Tandem server for the whole run: a fresh SQLite database with demo data in a temporary folder,
// whose outbox/ the password-reset test reads. The binary and the site come from the build the test
// script made (TANDEM_BIN, run from the repository root so it finds Leptos.toml and target/site).
const port = Number(process.env.TANDEM_E2E_PORT ?? 3100);
const dataDir = process.env.TANDEM_E2E_DATA ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-'));
process.env.TANDEM_E2E_DATA = dataDir;
const root = path.resolve(__dirname, '..');
const bin = process.env.TANDEM_BIN ?? path.join(root, 'target', 'debug', 'tandem');

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
  ],
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromium,
    trace: 'off',
    // The service worker would serve repeat /pkg requests from its cache and blur what the other
    // specs measure and watch; offline.spec.ts allows it and tests it.
    serviceWorkers: 'block',
  },
  projects: [
    // The coordinators' matches and dashboard pages are laptop pages: checked at 1280 px only, as is
    // the walk through every page under the Content-Security-Policy (security.spec.ts) and the Nu
    // checker's (html_valid.spec.ts), which read the same HTML at any width.
    { name: 'phone', use: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true }, testIgnore: /(matches|security|html_valid)\.spec\.ts/ },
    // The apply-and-match, goal-sheet and chat journeys set up their own phones and laptop inside and
    // change the demo data, so they run once; so does the bundle's measure (a phone's download).
    { name: 'laptop', use: { viewport: { width: 1280, height: 800 } }, testIgnore: /(apply_match|goal_sheet|chat|community|bundle|plain_forms|offline)\.spec\.ts/ },
    // JavaScript off: reading the program, and every kind of form posting to its page.
    { name: 'no-js', use: { viewport: { width: 1280, height: 800 }, javaScriptEnabled: false }, testMatch: /(reading|plain_forms)\.spec\.ts/ },
  ],
  webServer: {
    command: `"${bin}" serve --demo`,
    cwd: root,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      DATABASE_URL: `sqlite://${dataDir}/tandem.db`,
      TANDEM_DATA_DIR: dataDir,
      TANDEM_ADDR: `127.0.0.1:${port}`,
      RUST_LOG: 'warn',
    },
  },
});
