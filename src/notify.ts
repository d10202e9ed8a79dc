import { Notification, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { RucioApiError } from './tokens';

/**
 * Shows a failed action as a JupyterLab notification that says why it failed; its
 * action repeats the reason with the HTTP status, for a report to the hub's admins.
 */
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
  const reason = error.message.trim();
  const text = reason ? trans.__('%1: %2', summary, reason) : summary;
  return Notification.error(text, {
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
