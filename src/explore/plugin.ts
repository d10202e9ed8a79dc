/* eslint-disable jupyter/prefer-lazy-imports -- the Explore section belongs to the restored sidebar, so it is built when the plugin activates. */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { searchIcon } from '@jupyterlab/ui-components';

import { readPreferences } from '../preferences';
import { CommandIDs, IRucioSession } from '../tokens';
import { keepSearch } from './filtersState';
import { ExploreModel } from './model';
import { addRowCommands } from './rowCommands';
import { ExploreSection } from './section';

/** The settings (preferences) of the Rucio sidebar live under the core plugin's id. */
const PREFERENCES_ID = 'jupyterlab-rucio:plugin';
const EXPLORE_RANK = 100;
/** The commands take no arguments. */
const NO_ARGS = { args: { type: 'object' as const, properties: {} } };

/** The Explore section: scopes, DID search, availability and collection contents. */
export const explorePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-rucio:explore',
  description: 'Search Rucio DIDs and see their availability at the hub.',
  autoStart: true,
  requires: [IRucioSession],
  optional: [ISettingRegistry, ICommandPalette, IStateDB],
  activate: async (
    app: JupyterFrontEnd,
    session: IRucioSession,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    state: IStateDB | null
  ) => {
    const { trans } = session;
    const explore = new ExploreModel(session.api);
    session.instanceChanged.connect((_, name) => {
      explore.instance = name ?? undefined;
    });
    explore.instance = session.auth.activeName ?? undefined;
    const section = new ExploreSection({
      model: explore,
      auth: session.auth,
      trans,
      commands: app.commands,
      session,
      onError: (summary, error) => session.notifyError(summary, error),
      onOpenSettings: () => app.commands.execute(CommandIDs.openSettings)
    });
    section.title.label = trans.__('Explore');
    // The results list is what the sidebar is for: it gets most of the height at first.
    session.sidebar.addSection(section, { rank: EXPLORE_RANK, stretch: 4 });
    if (state) {
      void keepSearch(state, explore, session.auth);
    }

    addRowCommands(app.commands, session, explore);

    app.commands.addCommand(CommandIDs.search, {
      label: trans.__('Search Rucio DIDs'),
      caption: trans.__('Open the Rucio sidebar and focus its search box'),
      icon: searchIcon,
      describedBy: NO_ARGS,
      execute: () => {
        session.sidebar.showSection(section.id);
        explore.requestFocus();
      }
    });
    palette?.addItem({
      command: CommandIDs.search,
      category: trans.__('Rucio')
    });

    if (settingRegistry) {
      try {
        const settings = await settingRegistry.load(PREFERENCES_ID);
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
