/**
 * Steps of the upload UI tests: files in the Jupyter root of the test server, the file
 * browser's context menu, the upload dialog, and what Rucio and the RSE hold afterwards.
 */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

const REPO = path.resolve(__dirname, '..', '..', '..');
/** The Jupyter root of the UI test server (see jupyter_server_test_config.py). */
export const ROOT = path.join(REPO, 'ui-tests', '.jupyter-root');
const MB = 1024 * 1024;

export function tag(): string {
  return `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
}

/** A file of random bytes in the Jupyter root; returns its path there. */
export function randomFile(name: string, megabytes: number): string {
  const file = path.join(ROOT, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const handle = fs.openSync(file, 'w');
  for (let i = 0; i < megabytes; i++) {
    fs.writeSync(handle, crypto.randomBytes(MB));
  }
  fs.closeSync(handle);
  return file;
}

/** A large file that takes no disk space (reads as zeros), like `truncate -s`. */
export function sparseFile(name: string, megabytes: number): string {
  const file = path.join(ROOT, name);
  fs.writeFileSync(file, '');
  fs.truncateSync(file, megabytes * MB);
  return file;
}

export interface IRucioState {
  in_rucio: boolean;
  files: string[];
  on_rse: string[];
  same_bytes: boolean | null;
}

/** What Rucio and the RSE hold of `did` (checked by jdoe's own rucio-clients). */
export function rucioState(
  did: string,
  rse: string,
  local?: string
): IRucioState {
  const output = execFileSync(
    path.join(REPO, '.venv', 'bin', 'python'),
    [
      path.join(__dirname, 'rucio_check.py'),
      path.join(REPO, 'dev', '.state', 'rucio.env'),
      did,
      rse,
      ...(local ? [local] : [])
    ],
    { encoding: 'utf-8', timeout: 60000 }
  );
  return JSON.parse(output.trim().split('\n').pop()!);
}

export function listingItem(
  page: IJupyterLabPageFixture,
  name: string
): Locator {
  const escaped = name.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
  const exact = new RegExp('^' + escaped + '$');
  return page.locator('.jp-DirListing-item').filter({
    has: page.locator('.jp-DirListing-itemText', { hasText: exact })
  });
}

/** Right-clicks the (selected) items and opens the upload dialog. */
export async function openUploadDialog(
  page: IJupyterLabPageFixture,
  names: string[]
): Promise<Locator> {
  await page.sidebar.openTab('filebrowser');
  // The files were just written on disk: refresh the listing until the first one shows (galata's
  // own refresh waits for a change of the listing, which a busy machine can miss).
  await expect(async () => {
    await page
      .getByRole('button', { name: 'Refresh the file browser.' })
      .click();
    await expect(listingItem(page, names[0])).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 60000 });
  await listingItem(page, names[0]).click();
  for (const name of names.slice(1)) {
    await listingItem(page, name).click({ modifiers: ['ControlOrMeta'] });
  }
  await listingItem(page, names[names.length - 1]).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Upload to Rucio' }).click();
  const dialog = page.locator('.jp-Dialog');
  await expect(
    dialog.getByRole('combobox', { name: 'Destination RSE' })
  ).toBeVisible();
  // The RSEs and scopes come from the server.
  await expect(
    dialog.getByRole('combobox', { name: 'Scope' }).locator('option')
  ).not.toHaveCount(0, { timeout: 30000 });
  return dialog;
}

export function uploadButton(dialog: Locator): Locator {
  return dialog.getByRole('button', { name: 'Upload', exact: true });
}

/** The newest job of the Uploads section. */
export function newestJob(page: IJupyterLabPageFixture): Locator {
  return page.locator('.jp-Rucio-upload-job').first();
}

/** Waits until the job's bar shows a value strictly between 0 and 100 %. */
export async function seeBarMoving(job: Locator): Promise<number> {
  const bar = job.getByRole('progressbar').first();
  let seen = 0;
  await expect
    .poll(
      async () => {
        seen = Number(await bar.getAttribute('aria-valuenow'));
        return seen > 0 && seen < 100;
      },
      { timeout: 60000, intervals: [200] }
    )
    .toBe(true);
  return seen;
}

/** Expands the Uploads section of the Rucio sidebar if it is folded. */
export async function showUploads(page: IJupyterLabPageFixture): Promise<void> {
  const title = page
    .locator('#jupyterlab-rucio-sidebar .lm-AccordionPanel-title')
    .filter({ hasText: 'Uploads' });
  if ((await title.getAttribute('aria-expanded')) === 'false') {
    await title.click();
  }
}

/** Picks the destination RSE and sends the upload once the dialog accepts the choices. */
export async function submitUpload(
  dialog: Locator,
  rse: string
): Promise<void> {
  await dialog
    .getByRole('combobox', { name: 'Destination RSE' })
    .selectOption(rse);
  await expect(uploadButton(dialog)).toBeEnabled({ timeout: 10000 });
  await uploadButton(dialog).click();
}
