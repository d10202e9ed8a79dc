/**
 * Playwright configuration of the browser benchmarks (ui-tests/benchmarks, run by `make bench`;
 * `make test` runs ./tests only): the UI tests' server and browser, one long run, no retries.
 */
const base = require('./playwright.config');

module.exports = {
  ...base,
  testDir: './benchmarks',
  testMatch: '*.bench.ts',
  outputDir: './bench-results',
  retries: 0,
  timeout: 30 * 60 * 1000,
  reporter: [['list']],
  // No Playwright trace: its screencast makes chromium encode, and Playwright store, a
  // screenshot of every frame, which a user's browser does not (the benchmark's own Chrome
  // trace of the main thread stays).
  use: { ...base.use, trace: 'off', screenshot: 'off' }
};
