import { expect, test } from '@jupyterlab/galata';

import {
  createRemoteOnlyDataset,
  openPanel,
  saveUserpass,
  search
} from './helpers/rucio';

function row(rucio: import('@playwright/test').Locator, did: string) {
  return rucio.locator(`.jp-Rucio-row[data-did="${did}"]`);
}

function detail(rucio: import('@playwright/test').Locator, did: string) {
  return rucio.locator(`.jp-Rucio-detail[data-did="${did}"]`);
}

test.describe('Availability at the hub', () => {
  test.beforeEach(async ({ page }) => {
    await saveUserpass(page);
  });

  test('expanding DIDs shows each seeded state', async ({ page }) => {
    const rucio = await openPanel(page);
    await search(rucio, 'physics:*', 'dataset');
    const expected: [string, string][] = [
      ['physics:run2024.raw', 'Available'],
      ['physics:run2024.calib', 'Not available'],
      ['physics:empty.dataset', 'Collection is empty'],
      ['physics:mixed.dataset', 'Partially available']
    ];
    for (const [did, label] of expected) {
      await row(rucio, did).click();
      await expect(detail(rucio, did).locator('.jp-Rucio-state')).toHaveText(
        label,
        { timeout: 60000 }
      );
    }
    await expect(detail(rucio, 'physics:mixed.dataset')).toContainText(
      '2 of 4 files'
    );
    await expect(
      detail(rucio, 'physics:run2024.calib').getByRole('button', {
        name: 'Make available'
      })
    ).toBeVisible();
    await expect(
      detail(rucio, 'physics:run2024.raw').getByRole('button', {
        name: 'Make available'
      })
    ).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('states.png') });
  });

  test('a collection lists its files', async ({ page }) => {
    const rucio = await openPanel(page);
    await search(rucio, 'physics:run2024.raw');
    await row(rucio, 'physics:run2024.raw').click();
    const raw = detail(rucio, 'physics:run2024.raw');
    await raw.getByRole('button', { name: 'Show contents' }).click();
    const files = raw.getByRole('list', { name: 'Contents' }).locator('li');
    await expect(files).toHaveCount(3, { timeout: 60000 });
    await expect(files.first()).toContainText('run2024/raw/events.0001.dat');
  });

  test('making a remote-only dataset available replicates it to the hub', async ({
    page
  }) => {
    test.setTimeout(420000);
    const did = createRemoteOnlyDataset();
    const rucio = await openPanel(page);
    await search(rucio, did);
    await row(rucio, did).click();
    const state = detail(rucio, did).locator('.jp-Rucio-state');
    await expect(state).toHaveText('Not available', { timeout: 60000 });

    await detail(rucio, did)
      .getByRole('button', { name: 'Make available' })
      .click();
    await expect(state).toHaveText('Replicating', { timeout: 5000 });
    await page.screenshot({ path: test.info().outputPath('replicating.png') });
    // The transfer loop of the local Rucio copies the files; the poll follows.
    await expect(state).toHaveText('Available', { timeout: 240000 });
    await expect(
      detail(rucio, did).getByRole('button', { name: 'Make available' })
    ).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('available.png') });
  });
});
