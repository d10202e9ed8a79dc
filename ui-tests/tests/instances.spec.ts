import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';

import {
  openPanel,
  rucioEnv,
  saveUserpass,
  search,
  shownDids
} from './helpers/rucio';

/** The app settings directory of the test server (ui-tests/jupyter_server_test_config.py). */
const OVERRIDES = path.resolve(
  __dirname,
  '..',
  '.jupyter-app-settings',
  'overrides.json'
);
const DOWNLOADS = path.resolve(
  __dirname,
  '..',
  '.jupyter-root',
  'hub-downloads'
);

function writeOverrides(instances: object[]): void {
  fs.writeFileSync(
    OVERRIDES,
    JSON.stringify({ 'jupyterlab-rucio:instances': { instances } }, null, 2)
  );
}

test.describe('Instances from overrides.json', () => {
  test.afterEach(async ({ page }) => {
    fs.rmSync(OVERRIDES, { force: true });
    // The other tests work with the instance of the server configuration.
    await page.request.put('/jupyterlab-rucio/instances/active', {
      data: { name: 'local' }
    });
  });

  test('an instance defined only in overrides.json is offered and searches', async ({
    page
  }) => {
    const env = rucioEnv();
    // Written while the server runs, as an admin of a running hub would.
    writeOverrides([
      {
        name: 'hub-settings',
        display_name: 'Hub Rucio (settings)',
        rucio_url: env.RUCIO_URL,
        mode: 'download',
        download_dir: DOWNLOADS
      },
      { name: 'broken', rucio_url: 'rucio.example.org', mode: 'download' }
    ]);
    const rucio = await openPanel(page);
    const picker = rucio.getByRole('combobox', { name: 'Instance' }).first();
    await expect(picker.locator('option')).toHaveText([
      'Local Rucio (dev)',
      'Hub Rucio (settings)'
    ]);
    const notice = page
      .locator('.Toastify__toast')
      .filter({ hasText: 'instances[1].rucio_url must be an http(s) URL' });
    await expect(notice).toBeVisible({ timeout: 30000 });

    const selected = page.waitForResponse(
      reply =>
        reply.url().includes('/jupyterlab-rucio/instances/active') &&
        reply.request().method() === 'PUT'
    );
    await picker.selectOption('hub-settings');
    expect((await selected).status()).toBe(200);
    // jdoe's credential, saved for the instance now active.
    await saveUserpass(page);
    const again = await openPanel(page);
    await expect(
      again.getByRole('combobox', { name: 'Instance' }).first()
    ).toHaveValue('hub-settings');
    await search(again, 'physics:run2024*', 'dataset');
    expect(await shownDids(again)).toEqual(
      expect.arrayContaining(['physics:run2024.raw', 'physics:run2024.calib'])
    );
    await page.screenshot({
      path: test.info().outputPath('overrides-instance.png')
    });
  });
});
