import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { Locator } from '@playwright/test';

import {
  createRemoteOnlyDataset,
  openPanel,
  registeredChecksums,
  saveUserpass,
  search
} from './helpers/rucio';

const FILE_DID = 'user.jdoe:scratch/hello.txt';
const DATASET_DID = 'physics:run2024.raw';

/** Prints `basename adler32` for every injected path: the bytes the kernel reads. */
const READ_FILES = `import os, zlib
for path in sorted([hello, *raw], key=os.path.basename):
    with open(path, "rb") as handle:
        print(os.path.basename(path), "%08x" % zlib.adler32(handle.read()))`;

function notebookSection(rucio: Locator): Locator {
  return rucio.locator('.jp-Rucio-notebook-section');
}

function attachment(rucio: Locator, variable: string): Locator {
  return notebookSection(rucio).locator(
    `.jp-Rucio-attachment[data-variable="${variable}"]`
  );
}

/** Searches a DID, expands it and adds it to the active notebook under `variable`. */
async function addToNotebook(
  page: IJupyterLabPageFixture,
  rucio: Locator,
  did: string,
  variable: string,
  how: 'button' | 'context-menu' = 'button'
): Promise<void> {
  await search(rucio, did);
  const row = rucio.locator(`.jp-Rucio-row[data-did="${did}"]`);
  if (how === 'button') {
    await row.click();
    await rucio
      .locator(`.jp-Rucio-detail[data-did="${did}"]`)
      .getByRole('button', { name: 'Add to notebook' })
      .click();
  } else {
    await row.click({ button: 'right' });
    await page
      .locator('.lm-Menu')
      .getByText('Add to notebook', { exact: true })
      .click();
  }
  const dialog = page.locator('.jp-Dialog');
  const input = dialog.getByRole('textbox');
  await input.fill(variable);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog).toHaveCount(0);
}

/** Runs code in the first cell of the active notebook; returns what it printed. */
async function run(
  page: IJupyterLabPageFixture,
  index: number,
  code: string
): Promise<string> {
  // Set through the model: typing the source key by key is slow on a busy machine.
  await page.evaluate(
    ([at, source]) => {
      const panel = window.jupyterapp.shell.currentWidget as NotebookPanel;
      panel.content.widgets[at].model.sharedModel.setSource(source);
    },
    [index, code] as const
  );
  await page.notebook.runCell(index, { inplace: true });
  return ((await page.notebook.getCellTextOutput(index)) ?? []).join('');
}

async function restartKernel(page: IJupyterLabPageFixture): Promise<void> {
  await page.menu.clickMenuItem('Kernel>Restart Kernel…');
  await page
    .locator('.jp-Dialog')
    .getByRole('button', { name: 'Confirm Kernel Restart' })
    .click();
}

test.use({
  // Galata's kernel tracking answers a kernel restart with the 201 of a kernel creation,
  // which leaves the restarted kernel "Starting" for ever: these tests restart kernels, so
  // kernels are not tracked (the sessions that own them still are, and are shut down).
  kernels: null,
  // JupyterLab may take longer than galata's 15 s to open its Launcher on a busy machine.
  waitForApplication: async ({ baseURL }, use) => {
    void baseURL;
    await use(async page => {
      await page
        .locator('#jupyterlab-splash')
        .waitFor({ state: 'detached', timeout: 120000 });
      await page
        .locator('.lm-DockPanel-tabBar .lm-TabBar-tab', { hasText: 'Launcher' })
        .first()
        .waitFor({ timeout: 120000 });
    });
  }
});

test.describe('Add to notebook', () => {
  test.beforeEach(async ({ page }) => {
    await saveUserpass(page);
  });

  test('attached DIDs are paths in the kernel, after a restart and a reopen', async ({
    page,
    tmpPath
  }) => {
    test.setTimeout(300000);
    const rucio = await openPanel(page);
    await page.notebook.createNew('attached.ipynb');
    await addToNotebook(page, rucio, FILE_DID, 'hello');
    await addToNotebook(page, rucio, DATASET_DID, 'raw', 'context-menu');

    for (const variable of ['hello', 'raw']) {
      await expect(attachment(rucio, variable)).toHaveAttribute(
        'data-status',
        'ready',
        { timeout: 60000 }
      );
    }
    await expect(attachment(rucio, 'raw')).toContainText('3 files');
    await expect(page.locator('.jp-Rucio-toolbar-status')).toHaveText(
      'Rucio: 2 attached, 2 ready'
    );

    const expected = registeredChecksums(FILE_DID, DATASET_DID);
    expect(expected).toHaveLength(4);
    const printed = await run(page, 0, READ_FILES);
    expect(printed.trim().split('\n')).toEqual(expected);

    // A restart loses every variable; the extension defines them again.
    await run(page, 0, 'restart_marker = 1');
    await restartKernel(page);
    await expect
      .poll(
        () =>
          run(
            page,
            0,
            "print([k for k in ('hello', 'raw', 'restart_marker') if k in globals()])"
          ),
        { timeout: 60000, intervals: [1000] }
      )
      .toContain("['hello', 'raw']");
    expect((await run(page, 0, READ_FILES)).trim().split('\n')).toEqual(
      expected
    );

    // The attachments live in the notebook: saved, closed and reopened, they are still there.
    await page.notebook.save();
    await page.notebook.close();
    await expect(notebookSection(rucio)).toContainText('Open a notebook');
    await page.evaluate(async path => {
      await window.jupyterapp.commands.execute('docmanager:open', { path });
    }, `${tmpPath}/attached.ipynb`);
    await expect(
      notebookSection(rucio).locator('.jp-Rucio-attachment-variable')
    ).toHaveText(['hello', 'raw'], { timeout: 60000 });
    await expect(attachment(rucio, 'raw')).toContainText(DATASET_DID);
    await expect(attachment(rucio, 'raw')).toHaveAttribute(
      'data-status',
      'ready',
      { timeout: 60000 }
    );
    await page.screenshot({ path: test.info().outputPath('attached.png') });
  });

  test('the variable name is checked as it is typed', async ({ page }) => {
    const rucio = await openPanel(page);
    await page.notebook.createNew('names.ipynb');
    await search(rucio, DATASET_DID);
    await rucio.locator(`.jp-Rucio-row[data-did="${DATASET_DID}"]`).click();
    await rucio.getByRole('button', { name: 'Add to notebook' }).click();
    const dialog = page.locator('.jp-Dialog');
    const input = dialog.getByRole('textbox');
    await expect(input).toHaveValue('run2024_raw');
    const add = dialog.getByRole('button', { name: 'Add' });
    for (const [name, problem] of [
      ['class', 'class is a Python keyword.'],
      ['2fast', 'A Python name starts with a letter or _'],
      ['a b', 'A Python name starts with a letter or _']
    ]) {
      await input.fill(name);
      await expect(dialog.getByRole('alert')).toContainText(problem);
      await expect(add).toBeDisabled();
    }
    await input.fill('events');
    await expect(add).toBeEnabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(notebookSection(rucio)).toContainText('No DIDs are attached');
  });

  test('a remote-only dataset is defined once it is made available', async ({
    page
  }) => {
    test.setTimeout(420000);
    const did = createRemoteOnlyDataset();
    const rucio = await openPanel(page);
    await page.notebook.createNew('remote.ipynb');
    await addToNotebook(page, rucio, did, 'remote');

    const row = attachment(rucio, 'remote');
    await expect(row).toHaveAttribute('data-status', 'not-available', {
      timeout: 60000
    });
    await expect(row.locator('.jp-Rucio-state')).toHaveText('Not available', {
      timeout: 30000
    });
    await expect(page.locator('.jp-Rucio-toolbar-status')).toHaveText(
      'Rucio: 1 attached, 0 ready'
    );
    expect(await run(page, 0, "print('remote' in globals())")).toContain(
      'False'
    );

    await row.getByRole('button', { name: 'Make available' }).click();
    await expect(row.locator('.jp-Rucio-state')).toHaveText('Replicating', {
      timeout: 30000
    });
    await page.screenshot({ path: test.info().outputPath('replicating.png') });
    // The local Rucio's transfer loop copies the files; the poll defines the variable.
    await expect(row).toHaveAttribute('data-status', 'ready', {
      timeout: 300000
    });
    const printed = await run(
      page,
      0,
      'import os\nprint(len(remote), all(os.path.getsize(p) > 0 for p in remote))'
    );
    expect(printed.trim()).toBe('2 True');
  });
});
