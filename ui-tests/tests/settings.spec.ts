import { expect, test } from '@jupyterlab/galata';

import {
  forgetUserpass,
  hiddenBelow,
  openPanel,
  rucioEnv,
  saveUserpass
} from './helpers/rucio';

test.describe('Settings', () => {
  test('userpass credentials: validation, refusal reason, then signed in', async ({
    page
  }) => {
    const env = rucioEnv();
    await forgetUserpass(page);
    const rucio = await openPanel(page);

    // Before credentials exist the panel says so and leads to Settings.
    const notice = rucio.locator('.jp-Rucio-needs-credentials');
    await expect(notice).toContainText('Set your Rucio credentials', {
      timeout: 30000
    });
    await expect(rucio.getByRole('searchbox')).toHaveCount(0);
    const account = rucio.locator('.jp-Rucio-account');
    await expect(account).toContainText('Not signed in');
    await notice.getByRole('button', { name: 'Open Settings' }).click();

    const settings = rucio.locator('.jp-Rucio-settings');
    await expect(settings).toBeVisible();
    await expect(settings.getByLabel('Authentication')).toHaveValue('userpass');
    const username = settings.getByLabel('Username');
    const password = settings.getByLabel('Password');
    const save = settings.getByRole('button', { name: 'Save' });

    // The form checks required fields before asking the server.
    await username.fill(env.RUCIO_USER_USERNAME);
    await password.fill('');
    await save.click();
    await expect(settings.locator('.jp-Rucio-field-error')).toContainText(
      'Enter the password'
    );

    // A wrong password is refused by Rucio and the reason is shown.
    await password.fill('not-the-password');
    await save.click();
    await expect(settings.locator('.jp-Rucio-save-failure')).toContainText(
      'Cannot authenticate',
      { timeout: 60000 }
    );
    await page.screenshot({ path: test.info().outputPath('refused.png') });

    await password.fill(env.RUCIO_USER_PASSWORD);
    await save.click();
    await expect(settings.locator('.jp-Rucio-connected')).toContainText(
      `Signed in as ${env.RUCIO_USER_ACCOUNT}`,
      { timeout: 60000 }
    );
    await expect(settings.locator('.jp-Rucio-connected')).toContainText(
      'token valid until'
    );
    await expect(settings.locator('.jp-Rucio-save-failure')).toHaveCount(0);
    // The save says so, and the header names the account.
    await expect(settings.locator('.jp-Rucio-save-success')).toHaveText(
      `Saved. Rucio accepted the credentials of ${env.RUCIO_USER_ACCOUNT}.`
    );
    await expect(account).toContainText(
      `Signed in as ${env.RUCIO_USER_ACCOUNT}`
    );
    await expect(rucio.getByRole('searchbox')).toBeVisible();
    // Editing the form again takes the confirmation away.
    await username.fill(env.RUCIO_USER_USERNAME + ' ');
    await expect(settings.locator('.jp-Rucio-save-success')).toHaveCount(0);
    await username.fill(env.RUCIO_USER_USERNAME);

    // After a reload the saved password is never shown back.
    const again = await openPanel(page);
    const title = again.locator('.lm-AccordionPanel-title', {
      hasText: 'Settings'
    });
    if ((await title.getAttribute('aria-expanded')) !== 'true') {
      await title.click();
    }
    const passwordAgain = again
      .locator('.jp-Rucio-settings')
      .getByLabel('Password');
    await expect(passwordAgain).toHaveValue('');
    await expect(passwordAgain).toHaveAttribute(
      'placeholder',
      'A password is saved; type it to change it'
    );
    await page.screenshot({ path: test.info().outputPath('signed-in.png') });
  });
});

test('the account is in the panel header with Settings folded, and leads to Settings', async ({
  page
}) => {
  const env = rucioEnv();
  await saveUserpass(page);
  const rucio = await openPanel(page);
  const title = rucio.locator('.lm-AccordionPanel-title', {
    hasText: 'Settings'
  });
  // Working credentials: Settings start folded.
  await expect(rucio.getByRole('searchbox')).toBeVisible({ timeout: 30000 });
  await expect(title).toHaveAttribute('aria-expanded', 'false');
  const account = rucio.locator('.jp-Rucio-account');
  await expect(account).toBeVisible();
  await expect(account).toContainText(`Signed in as ${env.RUCIO_USER_ACCOUNT}`);
  await expect(account).toBeInViewport();
  await page.screenshot({ path: test.info().outputPath('header.png') });
  await account.getByRole('button', { name: 'Rucio settings' }).click();
  await expect(title).toHaveAttribute('aria-expanded', 'true');
  const settings = rucio.locator('.jp-Rucio-settings');
  await expect(settings).toBeVisible();

  // Settings have room: the whole form is on screen without scrolling inside the
  // section, for every way of signing in, and the search stays usable above it.
  const section = rucio.locator('.jp-Rucio-settings-section');
  const scrollsInside = async () => (await hiddenBelow(section)) > 1;
  const method = settings.getByLabel('Authentication');
  for (const value of ['x509', 'x509_proxy', 'oidc', 'userpass']) {
    await method.selectOption(value);
    await expect.poll(scrollsInside).toBe(false);
    await expect(settings.getByRole('button', { name: 'Save' })).toBeInViewport(
      { ratio: 1 }
    );
  }
  await expect(rucio.getByRole('searchbox')).toBeInViewport();
  await page.screenshot({ path: test.info().outputPath('settings-room.png') });

  // Sections folded to make room open again when Settings are folded.
  const expanded = (name: string) =>
    rucio
      .locator('.lm-AccordionPanel-title', { hasText: name })
      .getAttribute('aria-expanded');
  await title.click();
  for (const name of ['Explore', 'Notebook', 'Uploads']) {
    await expect.poll(() => expanded(name)).toBe('true');
  }
  expect(await expanded('Settings')).toBe('false');
});

test('the preferences are listed in the Settings Editor', async ({ page }) => {
  await page.evaluate(() =>
    (
      window as unknown as {
        jupyterapp: {
          commands: { execute(id: string, args?: object): Promise<unknown> };
        };
      }
    ).jupyterapp.commands.execute('settingeditor:open', { query: 'Rucio' })
  );
  const editor = page.locator('.jp-SettingsPanel, .jp-SettingsEditor').first();
  await expect(editor.getByText('Polling interval (seconds)')).toBeVisible({
    timeout: 30000
  });
  await expect(editor.getByText('Default search type')).toBeVisible();
  await expect(editor.getByText('Page size', { exact: true })).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('settings-editor.png')
  });
});
