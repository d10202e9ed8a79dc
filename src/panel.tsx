import { ReactWidget } from '@jupyterlab/apputils';
import { TranslationBundle, ITranslator } from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';
import { Message, MessageLoop } from '@lumino/messaging';
import { AccordionPanel, SplitLayout, Widget } from '@lumino/widgets';
import React from 'react';

import { AccountHeader } from './auth/AccountHeader';
import { AuthModel } from './auth/model';
import { rucioIcon } from './icons';
import { notifyError } from './notify';
import { SettingsView } from './settings/SettingsView';
import { IRucioSidebar, ISectionOptions } from './tokens';
import { useResized } from './useResized';

export const PANEL_ID = 'jupyterlab-rucio-sidebar';
export const SETTINGS_SECTION_ID = 'jupyterlab-rucio-settings';
const SETTINGS_RANK = 1000;
/** What an open section next to Settings keeps at least when Settings takes room, in px. */
const NEIGHBOUR_MIN_HEIGHT = 160;

/** Calls `onResize` whenever its content changes size (shown, fields added, messages). */
function Measured(props: {
  onResize: () => void;
  children: React.ReactNode;
}): JSX.Element {
  const ref = React.useRef<HTMLDivElement>(null);
  useResized(ref, props.onResize);
  return (
    <div ref={ref} className="jp-Rucio-measured">
      {props.children}
    </div>
  );
}

class SettingsSection extends ReactWidget {
  constructor(
    private _props: React.ComponentProps<typeof SettingsView>,
    private _onResize: () => void
  ) {
    super();
    this.addClass('jp-Rucio-section');
    this.addClass('jp-Rucio-settings-section');
  }
  render(): JSX.Element {
    return (
      <Measured onResize={this._onResize}>
        <SettingsView {...this._props} />
      </Measured>
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

    this._settings = new SettingsSection(
      {
        auth,
        trans,
        onError: (summary, error) => notifyError(trans, summary, error)
      },
      () => this._fitSettings()
    );
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
    // The side panel stacks header and sections with CSS: when the header's height changes
    // (it renders after the first layout), the sections must be laid out again, or the last
    // section titles end up below the panel, out of reach.
    if (typeof ResizeObserver !== 'undefined') {
      const content = this.content;
      this._contentObserver = new ResizeObserver(() =>
        MessageLoop.sendMessage(content, Widget.ResizeMessage.UnknownSize)
      );
      this._contentObserver.observe(content.node);
    }

    // Settings start folded when the saved credentials work and open when they are missing;
    // after a save they stay open so that the user sees the account.
    auth.changed.connect(this._followConnection, this);
    // Settings get the room their form needs whenever they open (their content's size
    // changes then, see Measured); sections folded for them open again when they fold.
    this._accordion.expansionToggled.connect((_, index) => {
      if (this.widgets[index] === this._settings && this._settings.isHidden) {
        this._unfoldNeighbours();
      }
    });
  }

  dispose(): void {
    this._contentObserver?.disconnect();
    super.dispose();
  }

  addSection(section: Widget, options: ISectionOptions): void {
    const index = this._ranks.findIndex(rank => rank > options.rank);
    const at = index === -1 ? this._ranks.length : index;
    this._ranks.splice(at, 0, options.rank);
    SplitLayout.setStretch(section, options.stretch ?? 1);
    this.insertWidget(at, section);
  }

  showSection(id: string): void {
    const index = this.widgets.findIndex(widget => widget.id === id);
    if (index >= 0) {
      this._accordion.expand(index);
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
    const accordion = this._accordion;
    const index = this.widgets.indexOf(this._settings);
    if (this._settingsWanted) {
      accordion.expand(index);
    } else {
      accordion.collapse(index);
      if (!this._laidOut) {
        // The first time only (a user's own resizing is kept later): the room Settings had
        // while the login was checked goes to the open sections in their shares (Explore
        // most), not all to the section below Settings.
        accordion.setRelativeSizes(
          this.widgets.map(widget =>
            widget.isHidden ? 0 : SplitLayout.getStretch(widget)
          )
        );
      }
    }
    this._laidOut = true;
    this._settingsWanted = null;
  }

  /**
   * Gives the open Settings section the height its form needs, so that it does not scroll
   * inside: first from the other open sections down to a usable height, then, where that
   * is not enough, by folding the sections below the first (Explore) for as long as
   * Settings are open. Settings never shrink here: a user's own resizing is kept.
   */
  private _fitSettings(): void {
    const settings = this._settings;
    if (!this.isVisible || settings.isHidden) {
      return;
    }
    const heights = this.widgets.map(widget =>
      widget.isHidden ? 0 : widget.node.getBoundingClientRect().height
    );
    const index = this.widgets.indexOf(settings);
    const current = heights[index];
    const content = settings.node.firstElementChild as HTMLElement | null;
    const needed = Math.ceil(
      content ? content.getBoundingClientRect().height : current
    );
    if (needed <= current + 1) {
      return;
    }
    // What each other open section can give while keeping its minimum height.
    const spare = heights.map((height, i) =>
      i === index ? 0 : Math.max(0, height - NEIGHBOUR_MIN_HEIGHT)
    );
    const available = spare.reduce((sum, value) => sum + value, 0);
    if (needed - current > available && this._foldNeighbours(index)) {
      requestAnimationFrame(() => this._fitSettings());
      return;
    }
    const taken = Math.min(needed - current, available);
    if (taken <= 0) {
      return;
    }
    const sizes = heights.map((height, i) =>
      i === index ? height + taken : height - (taken * spare[i]) / available
    );
    this._accordion.setRelativeSizes(sizes);
  }

  /** Folds the open sections between the first one and Settings; false if there were none. */
  private _foldNeighbours(settingsIndex: number): boolean {
    const accordion = this._accordion;
    let folded = false;
    this.widgets.forEach((widget, i) => {
      if (i > 0 && i !== settingsIndex && !widget.isHidden) {
        this._foldedForSettings.push(widget);
        accordion.collapse(i);
        folded = true;
      }
    });
    return folded;
  }

  /** Opens again the sections that Settings folded, once Settings are folded. */
  private _unfoldNeighbours(): void {
    const accordion = this._accordion;
    for (const widget of this._foldedForSettings.splice(0)) {
      const index = this.widgets.indexOf(widget);
      if (index >= 0) {
        accordion.expand(index);
      }
    }
  }

  private get _accordion(): AccordionPanel {
    return this.content as AccordionPanel;
  }

  private _settings: SettingsSection;
  private _contentObserver: ResizeObserver | null = null;
  private _foldedForSettings: Widget[] = [];
  private _ranks: number[] = [];
  private _laidOut = false;
  private _lastStatus = '';
  private _settingsWanted: boolean | null = null;
}
