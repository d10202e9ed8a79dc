import { expect, test } from '@jupyterlab/galata';

test('the Rucio icon opens the Rucio sidebar panel', async ({ page }) => {
  const tab = page.locator('.jp-SideBar [data-id="jupyterlab-rucio-sidebar"]');
  await expect(tab).toBeVisible();
  await tab.click();
  const panel = page.locator('#jupyterlab-rucio-sidebar');
  await expect(panel).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('sidebar.png') });
});
