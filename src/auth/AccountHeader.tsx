import { TranslationBundle } from '@jupyterlab/translation';
import { settingsIcon } from '@jupyterlab/ui-components';
import React from 'react';

import { ConnectionStatus, IRucioAuth } from '../tokens';
import { useSignal } from '../useSignal';

export interface IAccountHeaderProps {
  auth: IRucioAuth;
  trans: TranslationBundle;
  onOpenSettings: () => void;
}

/** The panel's header: who is signed in (or that nobody is), and the way to Settings. */
export function AccountHeader(props: IAccountHeaderProps): JSX.Element {
  const { auth, trans } = props;
  useSignal(auth.changed);
  const instance = auth.active?.display_name ?? '';
  const signedIn = auth.status === 'connected';
  const texts: Record<ConnectionStatus, string> = {
    connected: auth.account?.account ?? '',
    loading: trans.__('Connecting…'),
    'no-instance': trans.__('No Rucio instance configured'),
    error: trans.__('Rucio unreachable'),
    'no-credentials': trans.__('Not signed in')
  };
  const text = texts[auth.status];
  const title = signedIn
    ? trans.__('Signed in to %1 as %2', instance, text)
    : instance
      ? `${text} (${instance})`
      : text;
  return (
    <div className="jp-Rucio-account" role="status" title={title}>
      <span
        className={
          signedIn ? 'jp-Rucio-account-name' : 'jp-Rucio-account-missing'
        }
      >
        {signedIn ? trans.__('Signed in as %1', text) : text}
      </span>
      {instance && (
        <span className="jp-Rucio-account-instance">{instance}</span>
      )}
      <button
        type="button"
        className="jp-mod-styled jp-Rucio-account-settings"
        title={
          signedIn
            ? trans.__('Rucio settings')
            : trans.__('Sign in in Settings')
        }
        aria-label={
          signedIn
            ? trans.__('Rucio settings')
            : trans.__('Sign in in Settings')
        }
        onClick={props.onOpenSettings}
      >
        <settingsIcon.react tag="span" />
        {!signedIn && auth.status !== 'loading' && (
          <span>{trans.__('Sign in')}</span>
        )}
      </button>
    </div>
  );
}
