import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive Debian's Chromium (no browser download on these machines) against
 * `ivs-studio serve`, through the StudioApp driver in test/support/studio-app.ts.
 * Flags from shared/reference/machine-findings.md ("Browser, player").
 */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

// Playwright empties its output folder when a run starts; one folder per run keeps two runs on the
// shared machine from deleting each other's traces (workers inherit the variable from the runner).
process.env.STUDIO_E2E_RUN ??= `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: `test-results/e2e/${process.env.STUDIO_E2E_RUN}`,
  // Two cores shared by the whole team: one worker; each spec starts its own studio.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 720 },
    launchOptions: { executablePath: process.env.STUDIO_CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
