import { expect, test } from '@jupyterlab/galata';

import {
  listedDids,
  openPanel,
  saveUserpass,
  search,
  shownDids,
  treeItem
} from './helpers/rucio';

test.describe('Explore', () => {
  test.beforeEach(async ({ page }) => {
    await saveUserpass(page);
  });

  test('SCOPE:* lists the collections and files of the scope', async ({
    page
  }) => {
    const rucio = await openPanel(page);
    await search(rucio, 'physics:*');
    const dids = await listedDids(rucio);
    for (const did of [
      'physics:run2024',
      'physics:run2024.raw',
      'physics:run2024.calib',
      'physics:empty.dataset',
      'physics:mixed.dataset',
      'physics:run2024/raw/events.0001.dat'
    ]) {
      expect(dids).toContain(did);
    }
    expect(dids.every(did => did.startsWith('physics:'))).toBe(true);
    await page.screenshot({ path: test.info().outputPath('search-scope.png') });
  });

  test('SCOPE:TERM* lists only names starting with the term', async ({
    page
  }) => {
    const rucio = await openPanel(page);
    await search(rucio, 'physics:run2024*', 'dataset');
    const dids = await shownDids(rucio);
    expect(dids.sort()).toEqual([
      'physics:run2024.calib',
      'physics:run2024.raw'
    ]);
    await expect(rucio.locator('.jp-Rucio-result-count')).toHaveText(
      '2 results'
    );
    // Collections show their file count and size without being expanded.
    await expect(
      rucio.locator('[data-did="physics:run2024.raw"] .jp-Rucio-row-meta')
    ).toHaveText(/^3 files · \d+(\.\d+)? kB$/);
    await expect(
      rucio.locator('[data-did="physics:run2024.calib"] .jp-Rucio-row-meta')
    ).toHaveText(/^2 files · /);
  });

  test('SCOPE:NAME finds exactly that DID', async ({ page }) => {
    const rucio = await openPanel(page);
    await search(rucio, 'physics:run2024.raw');
    expect(await shownDids(rucio)).toEqual(['physics:run2024.raw']);
    await expect(rucio.locator('.jp-Rucio-result-count')).toHaveText(
      '1 result'
    );
  });

  test('picking a scope fills the search box and searches it at once', async ({
    page
  }) => {
    const rucio = await openPanel(page);
    const picker = rucio.getByRole('combobox', { name: 'Scope' });
    await expect(picker.locator('option', { hasText: 'climate' })).toBeAttached(
      { timeout: 30000 }
    );
    await picker.selectOption('climate');
    await expect(
      rucio.getByRole('searchbox', { name: 'Search DIDs' })
    ).toHaveValue('climate:*');
    await expect(rucio.locator('.jp-Rucio-result-count')).toHaveText(
      /^\d+ results$/,
      { timeout: 60000 }
    );
    const dids = await shownDids(rucio);
    expect(dids).toContain('climate:cmip6');
    expect(dids.every(did => did.startsWith('climate:'))).toBe(true);
  });

  test('a search that cannot run shows one error that says what to type, gone after the next valid search', async ({
    page
  }) => {
    const rucio = await openPanel(page);
    // The scopes are known once the picker lists them: the error can name them.
    await expect(
      rucio
        .getByRole('combobox', { name: 'Scope' })
        .locator('option', { hasText: 'physics' })
    ).toBeAttached({ timeout: 30000 });
    const errors = rucio.getByRole('alert');
    const toasts = page.locator('.Toastify__toast');

    await search(rucio, 'physics:run2024*', 'dataset');
    const box = rucio.getByRole('searchbox', { name: 'Search DIDs' });
    await box.fill('nosuchscope:*');
    await box.press('Enter');
    await expect(errors).toHaveCount(1);
    // The scopes named are the account's, alphabetical, at most five before "and N more"
    // (other tests may have added scopes before the sample ones).
    await expect(errors).toHaveText(
      /^There is no scope “nosuchscope”\. Scopes you can search: .*\bbulk\b/
    );
    await box.fill('*');
    await box.press('Enter');
    await expect(errors).toHaveCount(1);
    await expect(errors).toContainText(
      'Searches need a scope: type SCOPE:NAME'
    );
    await page.screenshot({ path: test.info().outputPath('error.png') });
    // Search-box problems are not Notifications.
    await expect(toasts).toHaveCount(0);

    await search(rucio, 'physics:run2024*', 'dataset');
    await expect(rucio.locator('.jp-Rucio-result-count')).toHaveText(
      '2 results'
    );
    await expect(errors).toHaveCount(0);
    await expect(toasts).toHaveCount(0);
  });

  test('a reload restores the search: text, type, results and expanded rows', async ({
    page
  }) => {
    let rucio = await openPanel(page);
    await search(rucio, 'physics:run2024*', 'dataset');
    // JupyterLab writes its state to the workspace a moment after a change.
    const workspaceSaved = page.waitForResponse(
      response =>
        response.url().includes('/api/workspaces') &&
        response.request().method() === 'PUT'
    );
    const raw = 'physics:run2024.raw';
    await treeItem(rucio, raw).locator('.jp-Rucio-row').click();
    await expect(treeItem(rucio, raw)).toHaveAttribute('aria-expanded', 'true');
    await workspaceSaved;

    rucio = await openPanel(page);
    await expect(
      rucio.getByRole('searchbox', { name: 'Search DIDs' })
    ).toHaveValue('physics:run2024*', { timeout: 30000 });
    await expect(rucio.getByRole('combobox', { name: 'Type' })).toHaveValue(
      'dataset'
    );
    await expect(rucio.locator('.jp-Rucio-result-count')).toHaveText(
      '2 results',
      { timeout: 60000 }
    );
    expect((await shownDids(rucio)).sort()).toEqual([
      'physics:run2024.calib',
      'physics:run2024.raw'
    ]);
    await expect(treeItem(rucio, raw)).toHaveAttribute('aria-expanded', 'true');
    await expect(treeItem(rucio, 'physics:run2024.calib')).toHaveAttribute(
      'aria-expanded',
      'false'
    );
  });

  test('scrolling a large scope loads more pages', async ({ page }) => {
    const rucio = await openPanel(page);
    await search(rucio, 'bulk:*', 'file');
    const count = rucio.locator('.jp-Rucio-result-count');
    await expect(count).toHaveText('100+ results');
    // Only the rows in view are in the DOM.
    expect(await rucio.locator('.jp-Rucio-row').count()).toBeLessThan(60);

    const list = rucio.getByRole('tree', { name: 'Search results' });
    for (let i = 0; i < 3; i++) {
      await list.evaluate(node => (node.scrollTop = node.scrollHeight));
      await page.waitForTimeout(300);
    }
    await expect(count).toHaveText(/^([2-9]\d\d|\d,\d{3})\+ results$/);
    const dids = await shownDids(rucio);
    expect(dids.length).toBeLessThan(80);
    expect(dids.every(did => /^bulk:sample\.\d+\.dat$/.test(did))).toBe(true);
    await page.screenshot({ path: test.info().outputPath('scrolled.png') });
  });

  test('the keyboard moves through results and Enter expands one', async ({
    page
  }) => {
    const rucio = await openPanel(page);
    await search(rucio, 'physics:run2024*', 'dataset');
    const list = rucio.getByRole('tree', { name: 'Search results' });
    await list.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const second = rucio.getByRole('treeitem').nth(1);
    await expect(second).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');
    await expect(second).toHaveAttribute('aria-expanded', 'true');
  });

  test('the rucio:search command opens the panel and focuses the search box', async ({
    page
  }) => {
    await page.reload();
    await page.evaluate(() =>
      (
        window as unknown as {
          jupyterapp: { commands: { execute(id: string): Promise<unknown> } };
        }
      ).jupyterapp.commands.execute('rucio:search')
    );
    const box = page
      .locator('#jupyterlab-rucio-sidebar')
      .getByRole('searchbox', { name: 'Search DIDs' });
    await expect(box).toBeFocused({ timeout: 30000 });
  });
});
