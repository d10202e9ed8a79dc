import { TranslationBundle } from '@jupyterlab/translation';

import { AttachmentStatus, IAttachmentState, NotebookWire } from './tokens';

/** The state of an attachment nothing has been done with yet. */
export const EMPTY_STATE: IAttachmentState = {
  status: 'waiting',
  message: null,
  count: null,
  availability: null,
  requesting: false
};

/** An attachment's state after the server resolved it and, if OK, the kernel ran the code. */
export function resolvedStatus(
  result: NotebookWire.IAttachmentResult,
  failure: string | null
): AttachmentStatus {
  if (result.status === 'OK') {
    return failure ? 'error' : 'ready';
  }
  return result.status === 'ERROR' ? 'error' : 'not-available';
}

/** Why attachments are not defined in a kernel of another language. */
export function unsupportedMessage(
  reported: string | null,
  trans: TranslationBundle
): string {
  return trans.__(
    'Rucio attachments can be defined in Python, R and Julia kernels, not in %1. Use "Insert as code cell" to write their paths into the notebook.',
    reported ?? trans.__('this kernel')
  );
}

/** The notice for variables left undefined because their DIDs are not available. */
export function notDefinedMessage(
  variables: string[],
  trans: TranslationBundle
): string {
  return trans._n(
    '%2 is not defined: its DID is not available at the hub yet.',
    '%2 are not defined: their DIDs are not available at the hub yet.',
    variables.length,
    variables.join(', ')
  );
}
