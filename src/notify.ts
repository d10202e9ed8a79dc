import { Notification, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { RucioApiError } from './tokens';

/** Shows a failure as a JupyterLab notification whose action opens the details. */
export function notifyError(
  trans: TranslationBundle,
  summary: string,
  error: RucioApiError | Error
): string {
  const status = error instanceof RucioApiError ? error.status : 0;
  const details =
    status > 0
      ? trans.__('%1 (HTTP %2)', error.message, status)
      : error.message;
  return Notification.error(summary, {
    autoClose: 8000,
    actions: [
      {
        label: trans.__('Details'),
        caption: trans.__('Show what went wrong'),
        callback: () => {
          void showErrorMessage(summary, details);
        }
      }
    ]
  });
}
