import * as path from 'path';
import { expect, test } from '@jupyterlab/galata';

import { openPanel, saveUserpass, search } from './helpers/rucio';

const README_SHOT = path.resolve(
  __dirname,
  '..',
  '..',
  'docs',
  'screenshots',
  'explore.png'
);

async function exploreWithStates(page: Parameters<typeof openPanel>[0]) {
  const rucio = await openPanel(page);
  await search(rucio, 'physics:run2024*');
  for (const did of ['physics:run2024.raw', 'physics:run2024.calib']) {
    await rucio.locator(`.jp-Rucio-row[data-did="${did}"]`).click();
    await expect(
      rucio.locator(`.jp-Rucio-detail[data-did="${did}"] .jp-Rucio-state`)
    ).toBeVisible({ timeout: 60000 });
  }
  return rucio;
}

test.describe('Screenshots', () => {
  test.beforeEach(async ({ page }) => {
    await saveUserpass(page);
  });

  test('light theme (README)', async ({ page }) => {
    const rucio = await exploreWithStates(page);
    // The panel follows the light theme: a light background behind dark text.
    const [background, text] = await rucio.evaluate(node => [
      getComputedStyle(node).backgroundColor,
      getComputedStyle(node.querySelector('.jp-Rucio-row-name')!).color
    ]);
    const sum = (colour: string) =>
      colour
        .match(/\d+/g)!
        .slice(0, 3)
        .map(Number)
        .reduce((a, b) => a + b, 0);
    expect(sum(background)).toBeGreaterThan(600);
    expect(sum(text)).toBeLessThan(300);
    await rucio.screenshot({
      path: test.info().outputPath('explore-light.png')
    });
    // The README's picture is refreshed on request only, so a test run leaves the tree as it was.
    if (process.env.UPDATE_README_SCREENSHOT) {
      await rucio.screenshot({ path: README_SHOT });
    }
  });

  test('dark theme', async ({ page }) => {
    await page.theme.setDarkTheme();
    const rucio = await exploreWithStates(page);
    // The panel follows the theme: its background is the dark layout colour.
    const background = await rucio.evaluate(
      node => getComputedStyle(node).backgroundColor
    );
    const [r, g, b] = background.match(/\d+/g)!.map(Number);
    expect(r + g + b).toBeLessThan(200);
    await rucio.screenshot({
      path: test.info().outputPath('explore-dark.png')
    });
    await page.screenshot({ path: test.info().outputPath('lab-dark.png') });
  });
});
