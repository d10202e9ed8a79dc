import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { IRucioSession, Rucio } from '../tokens';

/** The id of the instance settings (schema/instances.json), read by the server too. */
const INSTANCES_ID = 'jupyterlab-rucio:instances';

/** The Settings Editor's command (from @jupyterlab/settingeditor-extension). */
const OPEN_SETTINGS_EDITOR = 'settingeditor:open';

function problemsKey(problems: readonly Rucio.IInstanceProblem[]): string {
  return problems.map(p => `${p.source}\u0000${p.message}`).join('\n');
}

/**
 * Instances from the settings registry: the server reads them from the settings files (the
 * admin's overrides.json, the user's settings); this plugin reloads the sidebar's instance
 * list when the user changes them in the Settings Editor, and says which entries the server
 * left out and why.
 */
export const instancesPlugin: JupyterFrontEndPlugin<void> = {
  id: INSTANCES_ID,
  description:
    'Rucio instances of the hub and of the user, from the settings registry.',
  autoStart: true,
  requires: [IRucioSession],
  optional: [ISettingRegistry],
  activate: async (
    app: JupyterFrontEnd,
    session: IRucioSession,
    settingRegistry: ISettingRegistry | null
  ): Promise<void> => {
    const { auth, trans } = session;
    let shown = '';
    let notice: string | null = null;
    auth.changed.connect(() => {
      const key = problemsKey(auth.problems);
      if (key === shown || auth.status === 'loading') {
        return;
      }
      shown = key;
      if (notice) {
        Notification.dismiss(notice);
        notice = null;
      }
      if (auth.problems.length === 0) {
        return;
      }
      const lines = auth.problems.map(p =>
        p.source === 'user'
          ? trans.__('Your settings: %1', p.message)
          : p.source === 'admin'
            ? trans.__('Hub settings: %1', p.message)
            : trans.__('Server configuration: %1', p.message)
      );
      notice = Notification.warning(
        trans.__('Rucio instances left out: %1', lines.join('; ')),
        {
          autoClose: false,
          actions: app.commands.hasCommand(OPEN_SETTINGS_EDITOR)
            ? [
                {
                  label: trans.__('Open Settings'),
                  caption: trans.__(
                    'Edit the Rucio instances in the Settings Editor'
                  ),
                  callback: () => {
                    void app.commands.execute(OPEN_SETTINGS_EDITOR, {
                      query: 'Rucio instances'
                    });
                  }
                }
              ]
            : []
        }
      );
    });

    if (settingRegistry) {
      try {
        const settings = await settingRegistry.load(INSTANCES_ID);
        // The server reads the file the registry has just saved.
        settings.changed.connect(() => void auth.refresh());
      } catch (reason) {
        console.warn('Rucio instance settings could not be loaded', reason);
      }
    }
  }
};
