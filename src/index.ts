/* eslint-disable jupyter/prefer-lazy-imports -- the sidebar belongs to the restored layout, so it is built when the plugin activates. */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { searchIcon, settingsIcon } from '@jupyterlab/ui-components';

import { RucioApi } from './api';
import { AuthModel } from './auth/model';
import { ExploreModel } from './explore/model';
import { rucioIcon } from './icons';
import { PANEL_ID, RucioSidePanel } from './panel';
import { readPreferences } from './preferences';
import { CommandIDs } from './tokens';

const PLUGIN_ID = 'jupyterlab-rucio:plugin';
/** The commands take no arguments. */
const NO_ARGS = { args: { type: 'object' as const, properties: {} } };

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Rucio data management in the JupyterLab sidebar.',
  autoStart: true,
  optional: [ILayoutRestorer, ITranslator, ISettingRegistry, ICommandPalette],
  activate: async (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null
  ) => {
    translator = translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_rucio');
    const api = new RucioApi(app.serviceManager.serverSettings);
    const auth = new AuthModel(api);
    const explore = new ExploreModel(api);
    const panel = new RucioSidePanel(explore, auth, translator, trans);
    app.shell.add(panel, 'left', { rank: 700 });
    restorer?.add(panel, PANEL_ID);

    app.commands.addCommand(CommandIDs.open, {
      label: trans.__('Open Rucio'),
      caption: trans.__('Open the Rucio sidebar'),
      icon: rucioIcon,
      describedBy: NO_ARGS,
      execute: () => app.shell.activateById(PANEL_ID)
    });
    app.commands.addCommand(CommandIDs.search, {
      label: trans.__('Search Rucio DIDs'),
      caption: trans.__('Open the Rucio sidebar and focus its search box'),
      icon: searchIcon,
      describedBy: NO_ARGS,
      execute: () => {
        app.shell.activateById(PANEL_ID);
        explore.requestFocus();
      }
    });
    app.commands.addCommand(CommandIDs.openSettings, {
      label: trans.__('Rucio Credentials'),
      caption: trans.__('Open the Rucio sidebar at its Settings section'),
      icon: settingsIcon,
      describedBy: NO_ARGS,
      execute: () => {
        app.shell.activateById(PANEL_ID);
        panel.showSettings();
      }
    });
    const category = trans.__('Rucio');
    for (const command of [
      CommandIDs.open,
      CommandIDs.search,
      CommandIDs.openSettings
    ]) {
      palette?.addItem({ command, category });
    }

    void auth.refresh();

    if (settingRegistry) {
      try {
        const settings = await settingRegistry.load(PLUGIN_ID);
        const apply = () => {
          explore.preferences = readPreferences(settings);
        };
        apply();
        settings.changed.connect(apply);
      } catch (reason) {
        console.warn('Rucio preferences could not be loaded', reason);
      }
    }
  }
};

export default plugin;
