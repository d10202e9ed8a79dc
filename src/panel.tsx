import { ReactWidget } from '@jupyterlab/apputils';
import { TranslationBundle, ITranslator } from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { AccordionPanel, Widget } from '@lumino/widgets';
import React from 'react';

import { AccountHeader } from './auth/AccountHeader';
import { AuthModel } from './auth/model';
import { rucioIcon } from './icons';
import { notifyError } from './notify';
import { SettingsView } from './settings/SettingsView';
import { IRucioSidebar, ISectionOptions } from './tokens';

export const PANEL_ID = 'jupyterlab-rucio-sidebar';
export const SETTINGS_SECTION_ID = 'jupyterlab-rucio-settings';
const SETTINGS_RANK = 1000;

class SettingsSection extends ReactWidget {
  constructor(private _props: React.ComponentProps<typeof SettingsView>) {
    super();
    this.addClass('jp-Rucio-section');
    this.addClass('jp-Rucio-settings-section');
  }
  render(): JSX.Element {
    return <SettingsView {...this._props} />;
  }
}

/**
 * The Rucio sidebar: a SidePanel of sections ordered by rank. It holds the Settings
 * section; the feature plugins add theirs (Explore, Notebook, Uploads) with `addSection`.
 */
export class RucioSidePanel extends SidePanel implements IRucioSidebar {
  constructor(
    readonly auth: AuthModel,
    translator: ITranslator,
    trans: TranslationBundle
  ) {
    super({ translator });
    this.id = PANEL_ID;
    this.addClass('jp-Rucio-panel');
    this.title.icon = rucioIcon;
    this.title.caption = trans.__('Rucio');

    this._settings = new SettingsSection({
      auth,
      trans,
      onError: (summary, error) => notifyError(trans, summary, error)
    });
    this._settings.id = SETTINGS_SECTION_ID;
    this._settings.title.label = trans.__('Settings');
    this.addSection(this._settings, { rank: SETTINGS_RANK });

    // Who is signed in stays in view whatever sections are folded.
    const header = ReactWidget.create(
      <AccountHeader
        auth={auth}
        trans={trans}
        onOpenSettings={() => this.showSettings()}
      />
    );
    header.addClass('jp-Rucio-header');
    this.header.addWidget(header);

    // Settings start folded when the saved credentials work and open when they are missing;
    // after a save they stay open so that the user sees the account.
    auth.changed.connect(this._followConnection, this);
  }

  addSection(section: Widget, options: ISectionOptions): void {
    const index = this._ranks.findIndex(rank => rank > options.rank);
    const at = index === -1 ? this._ranks.length : index;
    this._ranks.splice(at, 0, options.rank);
    this.insertWidget(at, section);
  }

  showSection(id: string): void {
    const index = this.widgets.findIndex(widget => widget.id === id);
    if (index >= 0) {
      (this.content as AccordionPanel).expand(index);
    }
  }

  /** Opens the Settings section. */
  showSettings(): void {
    this.showSection(SETTINGS_SECTION_ID);
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._applySettingsFolding();
  }

  private _followConnection(): void {
    const status = this.auth.status;
    if (status === 'connected' && this._lastStatus === 'loading') {
      this._settingsWanted = false;
    } else if (status === 'no-credentials' && this._lastStatus !== status) {
      this._settingsWanted = true;
    }
    this._lastStatus = status;
    this._applySettingsFolding();
  }

  /** The accordion can only size its sections while it is on screen. */
  private _applySettingsFolding(): void {
    if (this._settingsWanted === null || !this.isVisible) {
      return;
    }
    const accordion = this.content as AccordionPanel;
    const index = this.widgets.indexOf(this._settings);
    if (this._settingsWanted) {
      accordion.expand(index);
    } else {
      accordion.collapse(index);
    }
    this._settingsWanted = null;
  }

  private _settings: SettingsSection;
  private _ranks: number[] = [];
  private _lastStatus = '';
  private _settingsWanted: boolean | null = null;
}
