/**
 * Result rows at JupyterLab's default sidebar width: names told apart, expanded rows as
 * tall as their content, where an available DID is on the hub, the row's context menu and
 * the keyboard of the tree.
 */
import * as fs from 'fs';
import { expect, test } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import {
  createRemoteOnlyDataset,
  hiddenBelow,
  openPanel,
  rucioEnv,
  saveUserpass,
  search,
  shownDids
} from './helpers/rucio';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

function row(rucio: Locator, did: string): Locator {
  return rucio.locator(`.jp-Rucio-row[data-did="${did}"]`);
}

function detail(rucio: Locator, did: string): Locator {
  return rucio.locator(`.jp-Rucio-detail[data-did="${did}"]`);
}

/** The text each rendered row shows, and whether any of it is cut off by its box. */
async function visibleNames(
  rucio: Locator
): Promise<{ text: string; clipped: boolean }[]> {
  return rucio.locator('.jp-Rucio-row .jp-Rucio-row-name').evaluateAll(nodes =>
    nodes.map(node => ({
      text: (node as HTMLElement).innerText,
      clipped: node.scrollWidth > node.clientWidth
    }))
  );
}

/** `node` is shown whole (not squeezed by its box) and above the results list. */
async function expectWholeAbove(node: Locator, rucio: Locator): Promise<void> {
  const box = await node.evaluate(element => ({
    bottom: element.getBoundingClientRect().bottom,
    squeezed: element.scrollHeight > element.clientHeight
  }));
  const listTop = await rucio
    .locator('.jp-Rucio-VirtualList')
    .first()
    .evaluate(element => element.getBoundingClientRect().top);
  expect(box.squeezed).toBe(false);
  expect(box.bottom).toBeLessThanOrEqual(listTop + 0.5);
}

async function clipboard(page: import('@playwright/test').Page) {
  return page.evaluate(() => navigator.clipboard.readText());
}

test.describe('Result rows', () => {
  test.beforeEach(async ({ page }) => {
    await saveUserpass(page);
  });

  test('the names of user.jdoe results are told apart at the default width', async ({
    page
  }) => {
    // Three DIDs whose long names differ only at their ends.
    const did = createRemoteOnlyDataset();
    const name = did.slice(did.indexOf(':') + 1);
    const rucio = await openPanel(page);
    const width = await rucio.evaluate(node => node.clientWidth);
    expect(width).toBeLessThan(300);

    await search(rucio, `user.jdoe:${name}*`);
    await expect(rucio.locator('.jp-Rucio-row')).toHaveCount(3);
    let names = await visibleNames(rucio);
    // Shortened in the middle: what is shown fits and ends like the name.
    expect(names.map(n => n.text).some(text => text.includes('…'))).toBe(true);
    expect(names.every(n => !n.clipped)).toBe(true);
    expect(new Set(names.map(n => n.text)).size).toBe(3);
    for (const suffix of ['part1.dat', 'part2.dat']) {
      expect(names.some(n => n.text.endsWith(suffix))).toBe(true);
    }
    // The scope is named once, above the list, and the full DID is in the tooltip.
    await expect(rucio.locator('.jp-Rucio-list-scope')).toHaveText(
      'In scope user.jdoe'
    );
    await expect(row(rucio, did)).toHaveAttribute('title', did);

    await search(rucio, 'user.jdoe:*');
    // Names are fitted once the new rows are laid out: read them until they are.
    await expect(async () => {
      names = await visibleNames(rucio);
      expect(names.length).toBeGreaterThanOrEqual(3);
      expect(
        names.every(n => !n.clipped && !n.text.startsWith('user.jdoe:'))
      ).toBe(true);
      expect(new Set(names.map(n => n.text)).size).toBe(names.length);
    }).toPass({ timeout: 15000 });
    // The scope's line stays whole above the rows when the list has more rows than room.
    await expect(rucio.locator('.jp-Rucio-list-scope')).toHaveText(
      'In scope user.jdoe'
    );
    await expectWholeAbove(rucio.locator('.jp-Rucio-list-scope'), rucio);
    await page.screenshot({ path: test.info().outputPath('user-jdoe.png') });
  });

  test('an expanded partially available dataset shows all of its detail', async ({
    page
  }) => {
    const rucio = await openPanel(page);
    await search(rucio, 'physics:*', 'dataset');
    const did = 'physics:mixed.dataset';
    await row(rucio, did).click();
    const mixed = detail(rucio, did);
    await expect(mixed.locator('.jp-Rucio-state')).toHaveText(
      'Partially available',
      { timeout: 60000 }
    );
    const show = mixed.getByRole('button', { name: 'Show contents' });
    // Scrolled to, nothing of it is clipped by the list or by the row's own box.
    await show.scrollIntoViewIfNeeded();
    await expect(show).toBeInViewport({ ratio: 1 });
    const make = mixed.getByRole('button', { name: 'Make available' });
    await make.scrollIntoViewIfNeeded();
    await expect(make).toBeInViewport({ ratio: 1 });
    // Every metadata value of it is shown, none hidden in a scrolled box of its own: project,
    // campaign, run_number, events and datatype, and the JSON plugin's instrument,
    // observing_night and energy_min (dev/seed_metadata.py).
    const metadata = mixed.getByRole('list', { name: 'Metadata' });
    await expect(metadata.getByRole('listitem')).toHaveCount(8);
    expect(await hiddenBelow(metadata)).toBeLessThanOrEqual(1);
    // The next row starts below the detail, not over it.
    const dids = await shownDids(rucio);
    const next = row(rucio, dids[dids.indexOf(did) + 1]);
    const bottom = (await mixed.boundingBox())!;
    const top = (await next.boundingBox())!;
    expect(top.y).toBeGreaterThanOrEqual(bottom.y + bottom.height - 1);

    await show.click();
    const files = mixed.getByRole('list', { name: 'Contents' }).locator('li');
    await expect(files).toHaveCount(4, { timeout: 60000 });
    await files.last().scrollIntoViewIfNeeded();
    await expect(files.last()).toBeInViewport();
    const after = (await mixed.boundingBox())!;
    const moved = (await next.boundingBox())!;
    expect(after.height).toBeGreaterThan(bottom.height);
    expect(moved.y).toBeGreaterThanOrEqual(after.y + after.height - 1);
    await page.screenshot({ path: test.info().outputPath('mixed.png') });
  });

  test("a dataset's contents keep only the files in view in the DOM", async ({
    page
  }) => {
    const rucio = await openPanel(page);
    await search(rucio, 'bulk:set.000');
    const did = 'bulk:set.000';
    await row(rucio, did).click();
    const set = detail(rucio, did);
    await set.getByRole('button', { name: 'Show contents' }).click();
    const list = set.getByRole('list', { name: 'Contents' });
    const files = list.locator('li');
    await expect(files.first()).toHaveAttribute(
      'data-did',
      'bulk:sample.00000.dat',
      { timeout: 60000 }
    );
    // 100 files: the list is as tall as all of them, with only those in view rendered.
    expect(await files.count()).toBeLessThanOrEqual(20);
    // The scroller of the list: no taller than its CSS allows, whatever the list holds.
    const view = set.locator('.jp-Rucio-contents-view');
    expect((await view.boundingBox())!.height).toBeLessThanOrEqual(140);
    expect(await view.evaluate(el => el.scrollHeight)).toBeGreaterThanOrEqual(
      100 * 20
    );
    await view.evaluate(el => (el.scrollTop = el.scrollHeight));
    // The results list scrolled to show the contents' box, which stays at its end.
    await list.scrollIntoViewIfNeeded();
    const last = list.locator('li[data-did="bulk:sample.00099.dat"]');
    await expect(last).toBeInViewport();
    await expect(last).toHaveAttribute('aria-posinset', '100');
    await expect(
      list.locator('li[data-did="bulk:sample.00000.dat"]')
    ).toHaveCount(0);
    expect(await files.count()).toBeLessThanOrEqual(20);
    await page.screenshot({ path: test.info().outputPath('contents-end.png') });
  });

  test('an available dataset shows its path on the hub and copies it', async ({
    page
  }) => {
    const env = rucioEnv();
    const rucio = await openPanel(page);
    await search(rucio, 'physics:run2024.raw');
    const did = 'physics:run2024.raw';
    await row(rucio, did).click();
    const raw = detail(rucio, did);
    await expect(raw.locator('.jp-Rucio-state')).toHaveText('Available', {
      timeout: 60000
    });
    const path = (await raw.locator('.jp-Rucio-hub-path').innerText()).trim();
    expect(path.startsWith(env.HUB_RSE_DIR + '/')).toBe(true);
    expect(fs.statSync(path).isDirectory()).toBe(true);
    expect(fs.readdirSync(path).sort()).toEqual([
      'events.0001.dat',
      'events.0002.dat',
      'events.0003.dat'
    ]);
    await expect(raw.locator('.jp-Rucio-rule')).toContainText('OK');
    await expect(raw.locator('.jp-Rucio-rule')).toContainText(/expires|kept/);

    await raw.getByRole('button', { name: 'Copy path' }).click();
    await expect.poll(() => clipboard(page)).toBe(path);

    // The row's context menu copies the DID, and the path too.
    await row(rucio, did).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Copy DID' }).click();
    await expect.poll(() => clipboard(page)).toBe(did);
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await row(rucio, did).click({ button: 'right' });
    await expect(
      page.getByRole('menuitem', { name: 'Add to notebook' })
    ).toBeVisible();
    await page.getByRole('menuitem', { name: 'Copy Path on the Hub' }).click();
    await expect.poll(() => clipboard(page)).toBe(path);
  });

  test('Right expands and Left collapses the active row', async ({ page }) => {
    const rucio = await openPanel(page);
    await search(rucio, 'physics:run2024*', 'dataset');
    const tree = rucio.getByRole('tree', { name: 'Search results' });
    await tree.focus();
    await page.keyboard.press('ArrowDown');
    const first = rucio.getByRole('treeitem').first();
    await expect(first).toHaveAttribute('aria-selected', 'true');
    await expect(first).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('ArrowRight');
    await expect(first).toHaveAttribute('aria-expanded', 'true');
    const did = (await first.getAttribute('aria-label'))!;
    await expect(detail(rucio, did)).toBeVisible();
    await page.keyboard.press('ArrowLeft');
    await expect(first).toHaveAttribute('aria-expanded', 'false');
    await expect(detail(rucio, did)).toHaveCount(0);
  });

  test('a wide panel shows type, files, size and availability in columns', async ({
    page
  }) => {
    const rucio = await openPanel(page);
    await search(rucio, 'physics:run2024*', 'dataset');
    const raw = row(rucio, 'physics:run2024.raw');
    await expect(raw.locator('.jp-Rucio-col-type')).toBeHidden();
    await expect(raw.locator('.jp-Rucio-row-meta')).toBeVisible();

    await page.sidebar.setWidth(640, 'left');
    await expect(raw.locator('.jp-Rucio-row-meta')).toBeHidden();
    await expect(raw.locator('.jp-Rucio-col-type')).toHaveText('Dataset');
    await expect(raw.locator('.jp-Rucio-col-files')).toHaveText('3 files');
    await expect(raw.locator('.jp-Rucio-col-size')).toHaveText(/kB$/);
    // A DID whose availability is known shows it in its row.
    await raw.click();
    await expect(raw.locator('.jp-Rucio-col-state')).toHaveText('Available', {
      timeout: 60000
    });
    await page.screenshot({ path: test.info().outputPath('wide.png') });
    await page.sidebar.setWidth(251, 'left');
  });
});
