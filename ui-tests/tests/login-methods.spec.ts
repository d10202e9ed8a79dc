import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect, test } from '@jupyterlab/galata';

import { openPanel, rucioEnv, saveUserpass } from './helpers/rucio';

const REPO = path.resolve(__dirname, '..', '..');

/** An access token for jdoe from the local OIDC issuer (`dev/rucio.sh token [--expired]`). */
function mintToken(...args: string[]): string {
  return execFileSync(
    'bash',
    [path.join(REPO, 'dev', 'rucio.sh'), 'token', ...args],
    { encoding: 'utf-8' }
  );
}

/** A private file holding a fresh token, as JupyterHub or a token agent keeps one. */
function tokenFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rucio-token-'));
  const file = path.join(dir, 'access_token');
  // Two hours: a token in its last hour is shown as a warning instead.
  fs.writeFileSync(file, mintToken('--lifetime', '7200'), { mode: 0o600 });
  return file;
}

test.describe('Login methods over HTTPS', () => {
  test.afterEach(async ({ page }) => {
    // The tests after this one sign in with userpass again.
    await saveUserpass(page);
  });

  test('switch to an X.509 proxy, then to an OIDC token file: account and expiry shown', async ({
    page
  }) => {
    const env = rucioEnv();
    await saveUserpass(page);
    const rucio = await openPanel(page);
    const title = rucio.locator('.lm-AccordionPanel-title', {
      hasText: 'Settings'
    });
    if ((await title.getAttribute('aria-expanded')) !== 'true') {
      await title.click();
    }
    const settings = rucio.locator('.jp-Rucio-settings');
    const method = settings.getByLabel('Authentication');
    const connected = settings.locator('.jp-Rucio-connected');
    const expiry = settings.locator('.jp-Rucio-credential-expiry');
    await expect(connected).toContainText('Signed in as', { timeout: 60000 });
    await expect(expiry).toHaveCount(0); // a password does not expire

    await method.selectOption('x509_proxy');
    await expect(settings.getByLabel('Proxy file')).toHaveAttribute(
      'placeholder',
      'Empty: $X509_USER_PROXY or /tmp/x509up_u<uid>'
    );
    await settings.getByLabel('Proxy file').fill(env.RUCIO_USER_PROXY);
    // Enter submits the form, as Save does (the accordion may leave Save below the fold).
    await settings.getByLabel('Proxy file').press('Enter');
    await expect(expiry).toContainText('X.509 proxy valid until', {
      timeout: 60000
    });
    await expect(expiry).toContainText(/\(\d+ h \d+ min left\)/);
    await expect(connected).toContainText(
      `Signed in as ${env.RUCIO_USER_ACCOUNT}`
    );
    await expect(connected).toContainText('token valid until');
    await page.screenshot({ path: test.info().outputPath('proxy.png') });

    await method.selectOption('oidc');
    const file = tokenFile();
    await settings.getByLabel('Token file').fill(file);
    await settings.getByLabel('Token file').press('Enter');
    await expect(expiry).toContainText('Access token valid until', {
      timeout: 60000
    });
    await expect(expiry).toContainText(/\(\d+ (h \d+ )?min left\)/);
    await expect(connected).toContainText(
      `Signed in as ${env.RUCIO_USER_ACCOUNT}`
    );
    await expect(settings.locator('.jp-Rucio-save-failure')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('oidc.png') });

    // The saved method and file come back after a reload, and searching works with it.
    const again = await openPanel(page);
    const againSettings = again.locator('.jp-Rucio-settings');
    await expect(againSettings.getByLabel('Authentication')).toHaveValue(
      'oidc'
    );
    await expect(
      againSettings.locator('.jp-Rucio-credential-expiry')
    ).toContainText('Access token valid until', { timeout: 60000 });

    // The token runs out: the next search says why and leads to Settings.
    fs.writeFileSync(file, mintToken('--expired'));
    const box = again.getByRole('searchbox', { name: 'Search DIDs' });
    await box.fill('physics:*');
    await box.press('Enter');
    const notice = again.locator('.jp-Rucio-needs-credentials');
    await expect(notice.locator('.jp-Rucio-refused')).toContainText(
      'OIDC access token expired at',
      { timeout: 60000 }
    );
    await expect(
      notice.getByRole('button', { name: 'Open Settings' })
    ).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('expired.png') });
  });
});
