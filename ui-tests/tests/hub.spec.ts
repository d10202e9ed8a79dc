/**
 * On the real JupyterHub of dev/hub.sh: the user signs in once, on the identity provider's
 * login page, and the Rucio panel of the server the hub spawns is already signed in with
 * OIDC. Run with `npx playwright test -c playwright.hub.config.js`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expect, test } from '@playwright/test';

import {
  createRemoteOnlyDataset,
  listedDids,
  panel,
  search
} from './helpers/rucio';

const REPO = path.resolve(__dirname, '..', '..');
const HUB_STATE = path.join(REPO, 'dev', '.state', 'hub');

function password(user: string): string {
  return fs
    .readFileSync(path.join(HUB_STATE, `password.${user}`), 'utf-8')
    .trim();
}

test('sign in at the hub, and Rucio is signed in with OIDC', async ({
  page
}) => {
  const did = createRemoteOnlyDataset();

  await page.goto('/hub/oauth_login');
  // The identity provider's own login page.
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Username').fill('jdoe');
  await page.getByLabel('Password').fill(password('jdoe'));
  await page.getByRole('button', { name: 'Sign in' }).click();

  // The hub spawns jdoe's server and opens JupyterLab in it.
  await page.waitForURL(/\/user\/jdoe\/lab/, { timeout: 180000 });
  const tab = page.locator(
    '.lm-TabBar-tab[data-id="jupyterlab-rucio-sidebar"]'
  );
  await expect(tab).toBeVisible({ timeout: 120000 });
  const rucio = panel(page);
  // JupyterLab may already show the panel (restored layout): open it only if it is not.
  await expect(async () => {
    if (!(await rucio.isVisible())) {
      await tab.click();
    }
    await expect(rucio).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30000 });

  // Signed in already: account and expiry of the OIDC token, nothing entered anywhere.
  const status = rucio.locator('.jp-Rucio-connected');
  await expect(status).toContainText('Signed in as jdoe', { timeout: 60000 });
  // The hub's OIDC token is Rucio's token too: its end is shown once, as the credential's
  // (as a warning in its last hour: the hub's tokens are short-lived and renewed).
  await expect(rucio.locator('.jp-Rucio-credential-expiry')).toContainText(
    /Access token (valid until|expires in)/
  );
  await page.screenshot({ path: test.info().outputPath('signed-in.png') });

  // The hub's overrides.json (in the single-user environment) sets the search's type.
  await expect(rucio.getByRole('combobox', { name: 'Type' })).toHaveValue(
    'dataset'
  );
  await search(rucio, 'user.jdoe:*');
  // The list is virtualised, and the tests before this one add datasets to user.jdoe.
  expect(await listedDids(rucio)).toContain('user.jdoe:notes.dataset');

  await search(rucio, did);
  await rucio.locator(`.jp-Rucio-row[data-did="${did}"]`).click();
  const detail = rucio.locator(`.jp-Rucio-detail[data-did="${did}"]`);
  const state = detail.locator('.jp-Rucio-state');
  await expect(state).toHaveText('Not available', { timeout: 60000 });
  await detail.getByRole('button', { name: 'Make available' }).click();
  await expect(state).toHaveText('Available', { timeout: 240000 });
  await page.screenshot({ path: test.info().outputPath('available.png') });
});
