/* eslint-disable jupyter/prefer-lazy-imports -- the sidebar belongs to the restored layout, so it is built when the plugin activates. */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { settingsIcon } from '@jupyterlab/ui-components';

import { RucioApi } from './api';
import { AuthModel } from './auth/model';
import { explorePlugin } from './explore/plugin';
import { rucioIcon } from './icons';
import { instancesPlugin } from './instances/plugin';
import { notebookPlugin } from './notebook/plugin';
import { PANEL_ID, RucioSidePanel, SETTINGS_SECTION_ID } from './panel';
import { RucioSession } from './session';
import { CommandIDs, IRucioSession } from './tokens';
import { uploadPlugin } from './upload/plugin';

export { IRucioSession } from './tokens';

/** The commands take no arguments. */
const NO_ARGS = { args: { type: 'object' as const, properties: {} } };

/**
 * The core plugin: the API client, the sign-in state and the sidebar with its Settings
 * section, offered to the feature plugins as the Rucio session. Its id names the
 * preferences schema (schema/plugin.json).
 */
const sessionPlugin: JupyterFrontEndPlugin<IRucioSession> = {
  id: 'jupyterlab-rucio:plugin',
  description: 'Rucio data management in the JupyterLab sidebar.',
  autoStart: true,
  provides: IRucioSession,
  optional: [ILayoutRestorer, ITranslator, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null,
    palette: ICommandPalette | null
  ): IRucioSession => {
    translator = translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_rucio');
    const api = new RucioApi(app.serviceManager.serverSettings);
    const auth = new AuthModel(api);
    const panel = new RucioSidePanel(auth, translator, trans);
    const sidebar = {
      id: PANEL_ID,
      addSection: panel.addSection.bind(panel),
      showSection: (id: string) => {
        app.shell.activateById(PANEL_ID);
        panel.showSection(id);
      }
    };
    const session = new RucioSession(api, auth, sidebar, trans, test =>
      app.contextMenuHitTest(test)
    );
    app.shell.add(panel, 'left', { rank: 700 });
    restorer?.add(panel, PANEL_ID);

    app.commands.addCommand(CommandIDs.open, {
      label: trans.__('Open Rucio'),
      caption: trans.__('Open the Rucio sidebar'),
      icon: rucioIcon,
      describedBy: NO_ARGS,
      execute: () => app.shell.activateById(PANEL_ID)
    });
    app.commands.addCommand(CommandIDs.openSettings, {
      label: trans.__('Rucio Credentials'),
      caption: trans.__('Open the Rucio sidebar at its Settings section'),
      icon: settingsIcon,
      describedBy: NO_ARGS,
      execute: () => sidebar.showSection(SETTINGS_SECTION_ID)
    });
    const category = trans.__('Rucio');
    for (const command of [CommandIDs.open, CommandIDs.openSettings]) {
      palette?.addItem({ command, category });
    }

    void auth.refresh();
    return session;
  }
};

export default [
  sessionPlugin,
  instancesPlugin,
  explorePlugin,
  notebookPlugin,
  uploadPlugin
];
