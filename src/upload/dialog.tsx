import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';

import { UploadApi } from './api';
import { ISelection, IUploadRequest } from './types';
import { IUploadFormProps, UploadForm } from './UploadForm';

/** The dialog's body: the form, whose valid request is the dialog's value. */
class UploadDialogBody
  extends ReactWidget
  implements Dialog.IBodyWidget<IUploadRequest | null>
{
  constructor(private _props: Omit<IUploadFormProps, 'onChange'>) {
    super();
    this.addClass('jp-Rucio-upload-dialog');
  }

  getValue(): IUploadRequest | null {
    return this._request;
  }

  render(): JSX.Element {
    return (
      <UploadForm
        {...this._props}
        onChange={request => {
          this._request = request;
        }}
      />
    );
  }

  private _request: IUploadRequest | null = null;
}

/**
 * Asks where and how to upload the selection; resolves to the request, or null when the
 * user cancelled. The Upload button stays disabled while a choice is invalid.
 */
export async function askUpload(
  api: UploadApi,
  selection: ISelection,
  trans: TranslationBundle,
  defaults: { rse: string | null; lifetimeDays: number | null }
): Promise<IUploadRequest | null> {
  const body = new UploadDialogBody({
    api,
    selection,
    trans,
    defaultRse: defaults.rse,
    defaultLifetimeDays: defaults.lifetimeDays
  });
  const result = await showDialog({
    title: trans.__('Upload to Rucio'),
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Upload') })
    ],
    focusNodeSelector: 'select'
  });
  return result.button.accept ? result.value : null;
}
