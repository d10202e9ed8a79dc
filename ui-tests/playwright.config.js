/**
 * Playwright configuration for the UI tests: Debian's chromium, a real JupyterLab
 * started with the extension, and the local Rucio of dev/.
 */
const path = require('path');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const jupyter = path.resolve(__dirname, '..', '.venv', 'bin', 'jupyter');
// A fresh Jupyter data directory per run: no credentials or upload jobs left from an
// earlier run, so every test starts as a new user would.
const dataDir = path.join(__dirname, '.jupyter-data');
const port = process.env.UI_TEST_PORT || '8888';

module.exports = {
  ...baseConfig,
  testDir: './tests',
  // hub.spec.ts runs against dev/hub.sh's JupyterHub (playwright.hub.config.js).
  testIgnore: 'hub.spec.ts',
  outputDir: './test-results',
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 120000,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'playwright-report' }]
  ],
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    video: 'off',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    }
  },
  webServer: {
    command: `rm -rf ${dataDir} && JUPYTER_DATA_DIR=${dataDir} ${jupyter} lab --config ${path.join(__dirname, 'jupyter_server_test_config.py')} --ServerApp.port=${port}`,
    url: `http://localhost:${port}/lab`,
    timeout: 180000,
    reuseExistingServer: !process.env.CI
  }
};
