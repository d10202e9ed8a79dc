/**
 * Playwright configuration of the JupyterHub UI test: Debian's chromium against the hub of
 * dev/hub.sh (started by the caller: `bash dev/hub.sh up`), which spawns the users' servers
 * itself. The provider's login page is served over HTTPS with the local test CA.
 */
const base = require('./playwright.config');

const hubPort = process.env.HUB_PORT || '18090';

module.exports = {
  ...base,
  testMatch: 'hub.spec.ts',
  testIgnore: [],
  retries: 0,
  timeout: 420000,
  use: {
    ...base.use,
    baseURL: `http://127.0.0.1:${hubPort}`,
    ignoreHTTPSErrors: true
  },
  webServer: undefined
};
