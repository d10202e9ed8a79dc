import { expect, test } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import { openPanel, saveUserpass, search } from './helpers/rucio';

test('the Rucio icon opens the Rucio sidebar panel', async ({ page }) => {
  const tab = page.locator('.jp-SideBar [data-id="jupyterlab-rucio-sidebar"]');
  await expect(tab).toBeVisible();
  await tab.click();
  const panel = page.locator('#jupyterlab-rucio-sidebar');
  await expect(panel).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('sidebar.png') });
});

test('on a 1024x768 screen the search results get most of the sidebar', async ({
  page
}) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await saveUserpass(page);
  const rucio = await openPanel(page);
  await search(rucio, 'bulk:*');
  const list = rucio.getByRole('tree', { name: 'Search results' });
  const height = async (locator: Locator) =>
    (await locator.boundingBox())?.height ?? 0;
  const listHeight = await height(list);
  const notebook = await height(page.locator('#jupyterlab-rucio-notebook'));
  const uploads = await height(page.locator('#jupyterlab-rucio-uploads'));
  // Six rows of results at least (28 px each; before, the list was 80 px tall), and more room
  // than the two other sections together.
  expect(listHeight).toBeGreaterThanOrEqual(6 * 28);
  expect(listHeight).toBeGreaterThan(notebook + uploads);
  await page.screenshot({ path: test.info().outputPath('sidebar-1024.png') });
});
