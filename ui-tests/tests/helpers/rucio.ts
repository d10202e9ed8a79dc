/**
 * Shared steps of the Rucio UI tests: the local Rucio's settings from dev/.state/rucio.env,
 * credentials, the sidebar and the search box.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator, Page } from '@playwright/test';

const REPO = path.resolve(__dirname, '..', '..', '..');
const ENV_FILE = path.join(REPO, 'dev', '.state', 'rucio.env');

export function rucioEnv(): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of fs.readFileSync(ENV_FILE, 'utf-8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0 && !line.trim().startsWith('#')) {
      values[line.slice(0, at).trim()] = line
        .slice(at + 1)
        .trim()
        .replace(/^['"]|['"]$/g, '');
    }
  }
  return values;
}

const API = '/jupyterlab-rucio/credentials';

/**
 * Stores jdoe's userpass credential through the server's API (set-up of the tests that
 * are not about settings). On a busy machine the local Rucio may be slow enough for the
 * server to answer 502/504, so the set-up retries for a while before failing.
 */
export async function saveUserpass(page: Page): Promise<void> {
  let status = 0;
  for (let attempt = 0; attempt < 6; attempt++) {
    const env = rucioEnv();
    const reply = await page.request.put(API, {
      data: {
        method: 'userpass',
        username: env.RUCIO_USER_USERNAME,
        password: env.RUCIO_USER_PASSWORD
      },
      timeout: 90000
    });
    status = reply.status();
    if (status < 500) {
      break;
    }
    await page.waitForTimeout(5000);
  }
  expect(status).toBe(200);
}

/** Forgets the stored userpass credential, so the panel starts signed out. */
export async function forgetUserpass(page: Page): Promise<void> {
  const reply = await page.request.delete(`${API}?method=userpass`);
  expect(reply.status()).toBe(204);
}

export function panel(page: Page): Locator {
  return page.locator('#jupyterlab-rucio-sidebar');
}

/**
 * Reloads JupyterLab (so that the panel picks up stored credentials) and opens the Rucio
 * sidebar, which may already be open: the layout restorer brings it back on reload.
 */
export async function openPanel(
  page: IJupyterLabPageFixture
): Promise<Locator> {
  await page.reload();
  await page.sidebar.openTab('jupyterlab-rucio-sidebar');
  const rucio = panel(page);
  await expect(rucio).toBeVisible();
  return rucio;
}

/** Types a query, picks a type and searches; waits for the result count. */
export async function search(
  rucio: Locator,
  query: string,
  type?: string
): Promise<void> {
  const box = rucio.getByRole('searchbox', { name: 'Search DIDs' });
  await expect(box).toBeVisible({ timeout: 30000 });
  if (type) {
    await rucio.getByRole('combobox', { name: 'Type' }).selectOption(type);
  }
  await box.fill(query);
  await box.press('Enter');
  await expect(rucio.locator('.jp-Rucio-result-count')).not.toBeEmpty({
    timeout: 60000
  });
}

/**
 * How many pixels of an element's content are hidden below its bottom edge (scrolled out of
 * view inside it): 0 for a box that shows all it holds.
 */
export function hiddenBelow(element: Locator): Promise<number> {
  return element.evaluate(node => node.scrollHeight - node.clientHeight);
}

/** The results list's tree item of a DID (its accessible name is the DID). */
export function treeItem(rucio: Locator, did: string): Locator {
  return rucio.getByRole('treeitem', { name: did, exact: true });
}

/** The DIDs of the rendered result rows, in order. */
export async function shownDids(rucio: Locator): Promise<string[]> {
  return rucio
    .locator('.jp-Rucio-row')
    .evaluateAll(rows => rows.map(row => row.getAttribute('data-did') ?? ''));
}

/**
 * Every DID of the result list, scrolling the virtualised list from top to bottom:
 * only the rows in view are in the DOM, and how many fit depends on the window.
 */
export async function listedDids(rucio: Locator): Promise<string[]> {
  const list = rucio.locator('.jp-Rucio-VirtualList').first();
  const seen = new Set<string>();
  await list.evaluate(el => (el.scrollTop = 0));
  for (let step = 0; step < 200; step++) {
    for (const did of await shownDids(rucio)) {
      seen.add(did);
    }
    const atEnd = await list.evaluate(el => {
      const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      el.scrollTop += Math.max(1, el.clientHeight - 20);
      return end;
    });
    if (atEnd) {
      break;
    }
    await rucio.page().waitForTimeout(100);
  }
  return [...seen];
}

/** Uploads two files to the remote RSE in a new dataset of user.jdoe; returns its DID. */
export function createRemoteOnlyDataset(): string {
  const name = `uitest.${Date.now()}.${Math.floor(Math.random() * 1e6)}`;
  const output = execFileSync(
    path.join(REPO, '.venv', 'bin', 'python'),
    [path.join(__dirname, 'remote_dataset.py'), ENV_FILE, name],
    { encoding: 'utf-8', timeout: 240000 }
  );
  return output.trim().split('\n').pop()!;
}

/** `basename adler32` of every file of the DIDs, as Rucio registered them (sorted lines). */
export function registeredChecksums(...dids: string[]): string[] {
  const output = execFileSync(
    path.join(REPO, '.venv', 'bin', 'python'),
    [path.join(__dirname, 'checksums.py'), ENV_FILE, ...dids],
    { encoding: 'utf-8', timeout: 120000 }
  );
  return output.trim().split('\n');
}
