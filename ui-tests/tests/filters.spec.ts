import { expect, test } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import { openPanel, saveUserpass, search, shownDids } from './helpers/rucio';

/** Adds one condition with the builder (key, operator, value, Add). */
async function addCondition(
  rucio: Locator,
  key: string,
  op: string,
  value: string
): Promise<void> {
  await rucio.getByRole('combobox', { name: 'Metadata key' }).fill(key);
  await rucio.getByRole('combobox', { name: 'Operator' }).selectOption(op);
  await rucio.getByRole('combobox', { name: 'Value' }).fill(value);
  await rucio.getByRole('button', { name: 'Add', exact: true }).click();
}

function chips(rucio: Locator): Locator {
  return rucio.locator('.jp-Rucio-filter-chip');
}

test.describe('Metadata filters', () => {
  test.beforeEach(async ({ page }) => {
    await saveUserpass(page);
  });

  test('a filter built with the builder finds exactly the matching DIDs; a metadata value filters on click; a reload keeps the filter', async ({
    page
  }) => {
    let rucio = await openPanel(page);
    await search(rucio, 'bulk:*');
    await rucio.getByRole('button', { name: 'Filter by metadata' }).click();
    // A run-number range (DID columns) and an instrument (JSON metadata).
    await addCondition(rucio, 'run_number', '>=', '3010');
    await addCondition(rucio, 'run_number', '<', '3015');
    await addCondition(rucio, 'instrument', '=', 'MAGIC');
    await expect(chips(rucio)).toHaveText([
      'run_number>=3010',
      'run_number<3015',
      'instrument=MAGIC'
    ]);
    await expect(rucio.locator('.jp-Rucio-result-count')).toHaveText(
      '2 results'
    );
    expect(await shownDids(rucio)).toEqual(['bulk:set.010', 'bulk:set.013']);
    await expect(rucio.locator('.jp-Rucio-filter-copy')).toHaveAttribute(
      'data-command-line',
      "rucio did list --filter 'run_number>=3010,run_number<3015,instrument=MAGIC,type=all' 'bulk:*'"
    );

    // The expanded row shows the DID's metadata of both plugins; a value becomes a filter.
    await rucio.locator('.jp-Rucio-row[data-did="bulk:set.010"]').click();
    const metadata = rucio.getByRole('list', { name: 'Metadata' });
    await expect(metadata.locator('[data-key="run_number"]')).toHaveText(
      /3010/
    );
    await expect(metadata.locator('[data-key="campaign"]')).toHaveText(/2023B/);
    // JupyterLab writes its state (the kept search) to the workspace a moment after a change:
    // wait for the write that holds the new filter, not an earlier one.
    const workspaceSaved = page.waitForResponse(
      response =>
        response.url().includes('/api/workspaces') &&
        response.request().method() === 'PUT' &&
        (response.request().postData() ?? '').includes('observing_night')
    );
    await metadata.locator('[data-key="observing_night"]').click();
    await expect(chips(rucio).last()).toHaveText('observing_night=2023-01-11');
    await expect(rucio.locator('.jp-Rucio-result-count')).toHaveText(
      '1 result'
    );
    expect(await shownDids(rucio)).toEqual(['bulk:set.010']);

    // A reload brings back the search with its filter.
    await workspaceSaved;
    rucio = await openPanel(page);
    await expect(
      rucio.getByRole('searchbox', { name: 'Search DIDs' })
    ).toHaveValue('bulk:*');
    await expect(chips(rucio)).toHaveCount(4);
    await expect(rucio.locator('.jp-Rucio-result-count')).toHaveText(
      '1 result'
    );
    expect(await shownDids(rucio)).toEqual(['bulk:set.010']);

    // Removing a chip searches again without it.
    await rucio
      .getByRole('button', { name: 'Remove filter observing_night=2023-01-11' })
      .click();
    await expect(rucio.locator('.jp-Rucio-result-count')).toHaveText(
      '2 results'
    );
  });

  test('a filter Rucio cannot answer says why, naming the key', async ({
    page
  }) => {
    const rucio = await openPanel(page);
    await search(rucio, 'physics:*');
    await rucio.getByRole('button', { name: 'Filter by metadata' }).click();
    await addCondition(rucio, 'run_number', '>=', 'abc');
    await expect(rucio.locator('.jp-Rucio-error-text')).toContainText(
      'run_number holds whole numbers'
    );
    await addCondition(rucio, 'datatype', '=', 'NOPE');
    await expect(rucio.locator('.jp-Rucio-filter-chip')).toHaveCount(2);
    await rucio
      .getByRole('button', { name: 'Remove filter run_number>=abc' })
      .click();
    await expect(
      rucio.locator('.jp-Rucio-notice', { hasText: 'No DIDs match' })
    ).toBeVisible();
  });
});
