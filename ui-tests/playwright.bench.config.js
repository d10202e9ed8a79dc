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
  reporter: [['list']]
};
