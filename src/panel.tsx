import { ReactWidget } from '@jupyterlab/apputils';
import { TranslationBundle, ITranslator } from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { AccordionLayout, AccordionPanel, Widget } from '@lumino/widgets';
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
/** The least height the first section (Explore) keeps when Settings take room. */
const FIRST_SECTION_KEEPS = 130;

class SettingsSection extends ReactWidget {
  constructor(private _props: React.ComponentProps<typeof SettingsView>) {
    super();
    this.addClass('jp-Rucio-section');
    this.addClass('jp-Rucio-settings-section');
  }
  render(): JSX.Element {
    return (
      <div className="jp-Rucio-settings-body">
        <SettingsView {...this._props} />
      </div>
    );
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

    (this.content as AccordionPanel).expansionToggled.connect((_, index) => {
      if (this.widgets[index] !== this._settings) {
        return;
      }
      if (!this._settings.isHidden) {
        requestAnimationFrame(() => this._fitSettings());
      }
    });

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
      if (this.widgets[index] === this._settings) {
        requestAnimationFrame(() => this._fitSettings());
      }
    }
  }

  /** Opens the Settings section. */
  showSettings(): void {
    this.showSection(SETTINGS_SECTION_ID);
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._applySettingsFolding();
    this._watchSettings();
  }

  /** The form grows (a message, other fields): Settings follow its height. */
  private _watchSettings(): void {
    const body = this._settings.node.querySelector('.jp-Rucio-settings-body');
    if (body && body !== this._watched) {
      this._watched = body;
      this._resizes.disconnect();
      this._resizes.observe(body);
    } else if (!body) {
      requestAnimationFrame(() => this._watchSettings());
    }
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

  /**
   * Opened Settings get the height of their form: taken from the first section (Explore,
   * which keeps FIRST_SECTION_KEEPS).
   */
  private _fitSettings(): void {
    const accordion = this.content as AccordionPanel;
    const index = this.widgets.indexOf(this._settings);
    this._watchSettings();
    const form = this._watched as HTMLElement | null;
    if (!this._settings.isVisible || !form || index <= 0) {
      return;
    }
    const missing = form.offsetHeight - this._settings.node.clientHeight;
    if (missing <= 0) {
      return;
    }
    const sizes = (accordion.layout as AccordionLayout).absoluteSizes().slice();
    const spare = Math.max(0, sizes[0] - FIRST_SECTION_KEEPS);
    const taken = Math.min(missing, spare);
    if (taken <= 0) {
      return;
    }
    sizes[0] -= taken;
    sizes[index] += taken;
    const total = sizes.reduce((sum, size) => sum + size, 0);
    accordion.setRelativeSizes(sizes.map(size => size / total));
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
      requestAnimationFrame(() => this._fitSettings());
    } else {
      accordion.collapse(index);
    }
    this._settingsWanted = null;
  }

  private _settings: SettingsSection;
  private _watched: Element | null = null;
  private _resizes = new ResizeObserver(() => this._fitSettings());
  private _ranks: number[] = [];
  private _lastStatus = '';
  private _settingsWanted: boolean | null = null;
}
