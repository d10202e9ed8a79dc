import { Clipboard, Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { copyIcon } from '@jupyterlab/ui-components';
import React from 'react';

import { formatCount } from '../format';
import { Rucio } from '../tokens';

/** Puts `text` on the clipboard and says so briefly. */
export function copyText(text: string, trans: TranslationBundle): void {
  Clipboard.copyToSystem(text);
  Notification.success(trans.__('Copied: %1', text), { autoClose: 3000 });
}

/**
 * The one path that says where a DID is on the hub: a file's own path, a collection's
 * directory (null when none of its files is there).
 */
export function hubPath(
  availability: Rucio.IAvailability | null | undefined
): string | null {
  const location = availability?.location;
  if (!location) {
    return null;
  }
  return location.count === 1 && availability.files_total === 1
    ? location.paths[0]
    : location.directory;
}

/** Where the available files of a DID are on the hub, with a copy button. */
export function HubLocation(props: {
  availability: Rucio.IAvailability;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { availability, trans } = props;
  const location = availability.location;
  const path = hubPath(availability);
  if (!location || !path) {
    return null;
  }
  const single = path !== location.directory;
  const prefix = location.directory.replace(/\/?$/, '/');
  return (
    <div className="jp-Rucio-location">
      <div className="jp-Rucio-location-line">
        <span className="jp-Rucio-location-label">
          {single ? trans.__('Path') : trans.__('Directory')}
        </span>
        <code className="jp-Rucio-hub-path" title={path}>
          {path}
        </code>
        <button
          type="button"
          className="jp-mod-styled jp-Rucio-copy-path"
          title={trans.__('Copy path')}
          aria-label={trans.__('Copy path')}
          onClick={() => copyText(path, trans)}
        >
          <copyIcon.react tag="span" elementSize="small" />
        </button>
      </div>
      {!single && (
        <details className="jp-Rucio-location-files">
          <summary>
            {trans._n(
              '%1 file there',
              '%1 files there',
              location.count,
              formatCount(location.count)
            )}
          </summary>
          <ul>
            {location.paths.map(file => (
              <li key={file} title={file}>
                {file.startsWith(prefix) ? file.slice(prefix.length) : file}
              </li>
            ))}
            {location.count > location.paths.length && (
              <li className="jp-Rucio-muted">
                {trans.__(
                  'and %1 more',
                  formatCount(location.count - location.paths.length)
                )}
              </li>
            )}
          </ul>
        </details>
      )}
    </div>
  );
}

/** When a rule ends: its date and, while it is close, how far away that is. */
export function expiryText(
  expiresAt: string | null,
  trans: TranslationBundle,
  now: number = Date.now()
): string {
  if (!expiresAt) {
    return trans.__('kept until deleted');
  }
  const end = new Date(expiresAt);
  if (isNaN(end.getTime())) {
    return trans.__('expires %1', expiresAt);
  }
  const date = end.toISOString().slice(0, 10);
  const days = Math.round((end.getTime() - now) / 86400000);
  if (end.getTime() <= now) {
    return trans.__('expired %1', date);
  }
  if (days < 1) {
    return trans.__('expires today (%1)', date);
  }
  // %1 is the count itself.
  return trans._n(
    'expires %2 (in %1 day)',
    'expires %2 (in %1 days)',
    days,
    date
  );
}

/** The rule that keeps (or brings) the data at the hub: state, owner and expiry. */
export function KeepingRule(props: {
  rule: Rucio.IRule;
  trans: TranslationBundle;
}): JSX.Element {
  const { rule, trans } = props;
  return (
    <div className="jp-Rucio-rule" data-rule={rule.id}>
      <span>
        {trans.__('Rule of %1:', rule.account)}{' '}
        <span className="jp-Rucio-rule-state">{rule.state}</span>
        {', '}
        <span className="jp-Rucio-rule-expiry">
          {expiryText(rule.expires_at, trans)}
        </span>
      </span>
      {rule.webui_url && (
        <a
          className="jp-Rucio-link"
          href={rule.webui_url}
          target="_blank"
          rel="noopener noreferrer"
        >
          {trans.__('Open rule in Rucio WebUI')}
        </a>
      )}
    </div>
  );
}
