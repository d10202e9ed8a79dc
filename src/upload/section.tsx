import { ReactWidget } from '@jupyterlab/apputils';
import React from 'react';

import { IUploadsViewProps, UploadsView } from './UploadsView';

export const UPLOADS_SECTION_ID = 'jupyterlab-rucio-uploads';

/** The Uploads section of the Rucio sidebar. */
export class UploadsSection extends ReactWidget {
  constructor(private _props: IUploadsViewProps) {
    super();
    this.id = UPLOADS_SECTION_ID;
    this.addClass('jp-Rucio-section');
    this.addClass('jp-Rucio-uploads-section');
  }

  render(): JSX.Element {
    return <UploadsView {...this._props} />;
  }
}
