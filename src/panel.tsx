import { ReactWidget } from '@jupyterlab/apputils';
import { TranslationBundle, ITranslator } from '@jupyterlab/translation';
import { AccordionPanel } from '@lumino/widgets';
import { Message } from '@lumino/messaging';
import { SidePanel } from '@jupyterlab/ui-components';
import React from 'react';

import { AuthModel } from './auth/model';
import { ExploreModel } from './explore/model';
import { ExploreView } from './explore/ExploreView';
import { rucioIcon } from './icons';
import { notifyError } from './notify';
import { SettingsView } from './settings/SettingsView';
import { RucioApiError } from './tokens';

export const PANEL_ID = 'jupyterlab-rucio-sidebar';

/** The Explore section; polling of availability follows its visibility. */
class ExploreSection extends ReactWidget {
  constructor(private _props: React.ComponentProps<typeof ExploreView>) {
    super();
    this.addClass('jp-Rucio-section');
    this.addClass('jp-Rucio-explore-section');
  }
  render(): JSX.Element {
    return <ExploreView {...this._props} />;
  }
  // A panel restored open on reload is attached while visible and never "shown".
  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._props.model.availability.visible = this.isVisible;
  }
  protected onBeforeDetach(msg: Message): void {
    this._props.model.availability.visible = false;
    super.onBeforeDetach(msg);
  }
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._props.model.availability.visible = true;
  }
  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._props.model.availability.visible = false;
  }
}

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
 * The Rucio sidebar: a SidePanel of sections. Explore and Settings today; more
 * features add their own section with `addWidget`.
 */
export class RucioSidePanel extends SidePanel {
  constructor(
    readonly explore: ExploreModel,
    readonly auth: AuthModel,
    translator: ITranslator,
    trans: TranslationBundle
  ) {
    super({ translator });
    this.id = PANEL_ID;
    this.addClass('jp-Rucio-panel');
    this.title.icon = rucioIcon;
    this.title.caption = trans.__('Rucio');

    const onError = (summary: string, error: RucioApiError) =>
      notifyError(trans, summary, error);
    const exploreSection = new ExploreSection({
      model: explore,
      auth,
      trans,
      onError,
      onOpenSettings: () => this.showSettings()
    });
    exploreSection.id = 'jupyterlab-rucio-explore';
    exploreSection.title.label = trans.__('Explore');
    this.addWidget(exploreSection);

    this._settings = new SettingsSection({ auth, trans, onError });
    this._settings.id = 'jupyterlab-rucio-settings';
    this._settings.title.label = trans.__('Settings');
    this.addWidget(this._settings);

    // Settings start folded when the saved credentials work and open when they are missing;
    // after a save they stay open so that the user sees the account.
    auth.changed.connect(this._followConnection, this);
  }

  /** Opens the Settings section. */
  showSettings(): void {
    const index = this.widgets.indexOf(this._settings);
    (this.content as AccordionPanel).expand(index);
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._applySettingsFolding();
  }

  private _followConnection(): void {
    this.explore.instance = this.auth.activeName ?? undefined;
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
  private _lastStatus = '';
  private _settingsWanted: boolean | null = null;
}
