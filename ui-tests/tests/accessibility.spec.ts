import AxeBuilder from '@axe-core/playwright';
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

import { openPanel, saveUserpass, search } from './helpers/rucio';

/**
 * axe-core's WCAG 2 A/AA rules (text contrast of 4.5:1 among them) on the Rucio panel
 * as a user sees it: the header, a search with results, a selected and expanded row
 * with its state badge, and the Settings form.
 */
async function checkPanel(
  page: IJupyterLabPageFixture,
  theme: string
): Promise<void> {
  const rucio = await openPanel(page);
  await search(rucio, 'physics:run2024*', 'dataset');
  // The selected row (scope and size on the brand colour) and a grey badge.
  await rucio
    .locator('.jp-Rucio-row[data-did="physics:run2024.calib"]')
    .click();
  await expect(rucio.locator('.jp-Rucio-state')).toHaveText('Not available', {
    timeout: 60000
  });
  const settings = rucio.locator('.lm-AccordionPanel-title', {
    hasText: 'Settings'
  });
  if ((await settings.getAttribute('aria-expanded')) !== 'true') {
    await settings.click();
  }
  await expect(rucio.locator('.jp-Rucio-settings')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath(`${theme}.png`) });

  const results = await new AxeBuilder({ page })
    .include('#jupyterlab-rucio-sidebar')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  await test.info().attach(`axe-${theme}.json`, {
    body: JSON.stringify(results, null, 2),
    contentType: 'application/json'
  });
  const violations = results.violations.map(violation => ({
    rule: violation.id,
    impact: violation.impact,
    nodes: violation.nodes.map(node => ({
      target: node.target.join(' '),
      why: node.failureSummary
    }))
  }));
  process.stdout.write(
    `axe (${theme} theme): ${results.passes.length} rules passed, ` +
      `${violations.length} violated${violations.length ? ':\n' + JSON.stringify(violations, null, 2) : ''}\n`
  );
  // The check really looked at the panel's text colours.
  expect(results.passes.map(rule => rule.id)).toContain('color-contrast');
  expect(violations).toEqual([]);
}

test.describe('Accessibility', () => {
  test.beforeEach(async ({ page }) => {
    await saveUserpass(page);
  });

  test('the Rucio panel meets WCAG AA in the light theme', async ({ page }) => {
    await page.theme.setLightTheme();
    await checkPanel(page, 'light');
  });

  test('the Rucio panel meets WCAG AA in the dark theme', async ({ page }) => {
    await page.theme.setDarkTheme();
    try {
      await checkPanel(page, 'dark');
    } finally {
      // Back to the default for the tests that follow on this server.
      await page.theme.setLightTheme();
    }
  });
});
