/**
 * Upload from the file browser to the local Rucio, as a user does it: right-click, the dialog,
 * the Uploads section. The UI test server limits each file transfer to 16 MB/s
 * (`RucioConfig.transfer_rate_limit` in jupyter_server_test_config.py), so that a progress bar
 * can be watched and a large upload cancelled on a local disk; the bytes are really copied.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expect, test } from '@jupyterlab/galata';

import { hiddenBelow, openPanel, saveUserpass, search } from './helpers/rucio';
import {
  newestJob,
  openUploadDialog,
  randomFile,
  ROOT,
  rucioState,
  seeBarMoving,
  showUploads,
  sparseFile,
  submitUpload,
  tag,
  uploadButton
} from './helpers/upload';

const HUB = 'HUB_USERDISK';
const REMOTE = 'REMOTE_USERDISK';
const QUOTA = 'QUOTA_USERDISK';

test.describe('Upload to Rucio', () => {
  test.beforeEach(async ({ page }) => {
    await saveUserpass(page);
    await openPanel(page);
  });

  test('a file into a new dataset: progress, done, found by search, same bytes', async ({
    page,
    tmpPath
  }) => {
    const t = tag();
    const name = `ui-upload-${t}.dat`;
    const local = randomFile(path.join(tmpPath, name), 64); // 4 s at the rate limit
    const dataset = `uitest.${t}`;
    const dialog = await openUploadDialog(page, [name]);
    // The form of one file is seen whole, down to its dataset choices, without scrolling.
    const body = dialog.locator('.jp-Rucio-upload-dialog');
    await expect(
      dialog.getByRole('radio', { name: 'Existing dataset' })
    ).toBeVisible();
    expect(await hiddenBelow(body)).toBeLessThanOrEqual(1);
    await dialog
      .getByRole('combobox', { name: 'Destination RSE' })
      .selectOption(HUB);
    await expect(
      dialog.getByLabel(`DID name for ${tmpPath}/${name}`)
    ).toHaveValue(name);
    await dialog.getByRole('radio', { name: 'New dataset' }).check();
    await dialog.getByLabel('New dataset name').fill(dataset);
    await expect(uploadButton(dialog)).toBeEnabled({ timeout: 10000 });
    await uploadButton(dialog).click();

    const job = newestJob(page);
    await expect(job).toContainText(`1 file to ${HUB}`);
    const seen = await seeBarMoving(job);
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(100);
    await expect(job).toHaveAttribute('data-state', 'DONE', { timeout: 60000 });
    await expect(job.getByRole('progressbar').first()).toHaveAttribute(
      'aria-valuenow',
      '100'
    );

    const rucio = page.locator('#jupyterlab-rucio-sidebar');
    await search(rucio, `user.jdoe:${dataset}`);
    const row = rucio.locator(`.jp-Rucio-row[data-did="user.jdoe:${dataset}"]`);
    await row.click();
    // Uploaded to the hub's RSE: available at the hub at once.
    await expect(
      rucio.locator(
        `.jp-Rucio-detail[data-did="user.jdoe:${dataset}"] .jp-Rucio-state`
      )
    ).toHaveText('Available', { timeout: 60000 });
    await rucio.getByRole('button', { name: 'Show contents' }).click();
    await expect(
      rucio
        .getByRole('list', { name: 'Contents' })
        .locator(`[data-did="user.jdoe:${name}"]`)
    ).toBeVisible({ timeout: 30000 });
    const state = rucioState(`user.jdoe:${name}`, HUB, local);
    expect(state.same_bytes).toBe(true);
    expect(rucioState(`user.jdoe:${dataset}`, HUB).files).toEqual([name]);
  });

  test('several files and a folder in one job', async ({ page, tmpPath }) => {
    const t = tag();
    const files = [`ui-a-${t}.txt`, `ui-b-${t}.txt`];
    const folder = `ui-folder-${t}`;
    for (const file of files) {
      randomFile(path.join(tmpPath, file), 1);
    }
    randomFile(path.join(tmpPath, folder, 'x.dat'), 1);
    randomFile(path.join(tmpPath, folder, 'sub', 'y.dat'), 1);
    const dialog = await openUploadDialog(page, [...files, folder]);
    await expect(dialog.locator('.jp-Rucio-upload-file')).toHaveCount(4);
    await expect(
      dialog.getByLabel(`DID name for ${tmpPath}/${folder}/sub/y.dat`)
    ).toHaveValue(`${folder}/sub/y.dat`);
    await submitUpload(dialog, REMOTE);
    const job = newestJob(page);
    await expect(job).toContainText(`4 files to ${REMOTE}`);
    await expect(job).toHaveAttribute('data-state', 'DONE', { timeout: 60000 });
    for (const did of [...files, `${folder}/x.dat`, `${folder}/sub/y.dat`]) {
      expect(rucioState(`user.jdoe:${did}`, REMOTE).in_rucio).toBe(true);
    }
  });

  test('a selection larger than the quota is refused before it starts', async ({
    page,
    tmpPath
  }) => {
    const name = `ui-quota-${tag()}.dat`;
    randomFile(path.join(tmpPath, name), 2); // the quota on QUOTA_USERDISK is 1 MiB
    const dialog = await openUploadDialog(page, [name]);
    await dialog
      .getByRole('combobox', { name: 'Destination RSE' })
      .selectOption(QUOTA);
    await expect(dialog.getByRole('alert')).toContainText(
      `of your quota on ${QUOTA} is left`
    );
    await expect(uploadButton(dialog)).toBeDisabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.locator('.jp-Dialog')).toHaveCount(0);
    const state = rucioState(`user.jdoe:${name}`, QUOTA);
    expect(state.in_rucio).toBe(false);
    expect(state.on_rse).toEqual([]);
  });

  test('cancelling a large upload while it runs keeps nothing', async ({
    page,
    tmpPath
  }) => {
    const name = `ui-cancel-${tag()}.dat`;
    sparseFile(path.join(tmpPath, name), 400); // 25 s at the rate limit
    const dialog = await openUploadDialog(page, [name]);
    await submitUpload(dialog, REMOTE);
    const job = newestJob(page);
    await seeBarMoving(job);
    expect(
      rucioState(`user.jdoe:${name}`, REMOTE).on_rse.length
    ).toBeGreaterThan(0);
    await job.getByRole('button', { name: 'Cancel' }).click();
    await expect(job).toHaveAttribute('data-state', 'CANCELLED', {
      timeout: 5000
    });
    const state = rucioState(`user.jdoe:${name}`, REMOTE);
    expect(state.in_rucio).toBe(false);
    expect(state.on_rse).toEqual([]);
    expect(fs.statSync(path.join(ROOT, tmpPath, name)).size).toBe(
      400 * 1024 * 1024
    );
  });

  test('a reload during an upload keeps the job, which finishes', async ({
    page,
    tmpPath
  }) => {
    const name = `ui-reload-${tag()}.dat`;
    const local = sparseFile(path.join(tmpPath, name), 160); // 10 s at the rate limit
    const dialog = await openUploadDialog(page, [name]);
    await submitUpload(dialog, REMOTE);
    const job = newestJob(page);
    await seeBarMoving(job);
    const id = await job.getAttribute('data-job');

    await openPanel(page); // reloads the page
    await showUploads(page);
    const again = page.locator(`.jp-Rucio-upload-job[data-job="${id}"]`);
    await expect(again).toBeVisible({ timeout: 30000 });
    await expect(again).toHaveAttribute('data-state', 'DONE', {
      timeout: 90000
    });
    expect(rucioState(`user.jdoe:${name}`, REMOTE, local).same_bytes).toBe(
      true
    );
  });
});
