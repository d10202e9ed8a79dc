import { ReactWidget } from '@jupyterlab/apputils';
import { Message } from '@lumino/messaging';
import React from 'react';

import { ExploreView } from './ExploreView';

export const EXPLORE_SECTION_ID = 'jupyterlab-rucio-explore';

/** The Explore section; polling of availability follows its visibility. */
export class ExploreSection extends ReactWidget {
  constructor(private _props: React.ComponentProps<typeof ExploreView>) {
    super();
    this.id = EXPLORE_SECTION_ID;
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
