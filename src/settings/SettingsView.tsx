import { TranslationBundle } from '@jupyterlab/translation';
import React, { useEffect, useState } from 'react';

import { InstancePicker } from '../auth/InstancePicker';
import { AuthModel } from '../auth/model';
import { toApiError } from '../api';
import { formatTime } from '../format';
import { AuthMethod, Rucio, RucioApiError } from '../tokens';
import { useSignal } from '../useSignal';
import {
  credentialInput,
  FieldErrors,
  fieldsFromSaved,
  ICredentialFields,
  METHOD_FIELDS,
  validateCredentials
} from './validation';

export function methodLabel(
  method: AuthMethod,
  trans: TranslationBundle
): string {
  switch (method) {
    case 'userpass':
      return trans.__('Username and password');
    case 'x509':
      return trans.__('X.509 certificate');
    case 'x509_proxy':
      return trans.__('X.509 proxy');
    case 'oidc':
      return trans.__('OpenID Connect token');
  }
}

function fieldText(
  key: keyof ICredentialFields,
  trans: TranslationBundle
): { label: string; placeholder: string } {
  switch (key) {
    case 'username':
      return { label: trans.__('Username'), placeholder: '' };
    case 'password':
      return { label: trans.__('Password'), placeholder: '' };
    case 'certPath':
      return {
        label: trans.__('Certificate file'),
        placeholder: trans.__('e.g. ~/.globus/usercert.pem')
      };
    case 'keyPath':
      return {
        label: trans.__('Private key file'),
        placeholder: trans.__('e.g. ~/.globus/userkey.pem')
      };
    case 'proxyPath':
      return {
        label: trans.__('Proxy file'),
        placeholder: trans.__('Empty: $X509_USER_PROXY or /tmp/x509up_u<uid>')
      };
    case 'token':
      return {
        label: trans.__('Access token'),
        placeholder: trans.__('Leave empty to use the token the hub provides')
      };
    case 'tokenFile':
      return {
        label: trans.__('Token file'),
        placeholder: trans.__('or a file holding the token, read at every use')
      };
    case 'account':
      return {
        label: trans.__('Account'),
        placeholder: trans.__('Default account of the identity')
      };
  }
}

export interface ISettingsViewProps {
  auth: AuthModel;
  trans: TranslationBundle;
  onError: (summary: string, error: RucioApiError) => void;
}

/** Instance selection and the credentials form; Save validates with the server. */
export function SettingsView(props: ISettingsViewProps): JSX.Element {
  const { auth, trans } = props;
  useSignal(auth.changed);
  const instance = auth.active;
  const methods = instance?.auth_methods ?? [];
  const [method, setMethod] = useState<AuthMethod>(auth.defaultMethod);
  const [fields, setFields] = useState(fieldsFromSaved(auth.saved));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<RucioApiError | null>(null);
  /** The account a save just signed in as, until the form is edited again. */
  const [savedAs, setSavedAs] = useState<string | null>(null);

  // Follow the instance and what the server has saved for it.
  const savedKey = `${auth.activeName}|${JSON.stringify(auth.saved)}`;
  useEffect(() => {
    setFields(fieldsFromSaved(auth.saved));
    setMethod(auth.saved?.method ?? auth.defaultMethod);
    setErrors({});
  }, [savedKey]);

  if (!instance) {
    return (
      <div className="jp-Rucio-settings jp-Rucio-notice">
        {auth.status === 'loading'
          ? trans.__('Loading…')
          : trans.__('No Rucio instance is configured on this server.')}
      </div>
    );
  }

  const shownMethod = methods.includes(method) ? method : methods[0];
  const hasSavedPassword = !!auth.saved?.saved.userpass?.has_password;

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    const found = validateCredentials(shownMethod, fields, trans);
    setErrors(found);
    setFailure(null);
    setSavedAs(null);
    if (Object.keys(found).length > 0) {
      return;
    }
    setSaving(true);
    try {
      const result = await auth.save(credentialInput(shownMethod, fields));
      setFields(current => ({ ...current, password: '', token: '' }));
      setSavedAs(result.account);
    } catch (reason) {
      // The form says why; a Notification would say it a second time.
      setFailure(toApiError(reason));
    } finally {
      setSaving(false);
    }
  };

  const input = (key: keyof ICredentialFields) => {
    const text = fieldText(key, trans);
    const secret = key === 'password' || key === 'token';
    let placeholder = text.placeholder;
    if (key === 'password' && hasSavedPassword) {
      placeholder = trans.__('A password is saved; type it to change it');
    }
    const id = `jp-Rucio-credential-${key}`;
    return (
      <div className="jp-Rucio-field" key={key}>
        <label htmlFor={id}>{text.label}</label>
        <input
          id={id}
          className="jp-mod-styled"
          name={key}
          type={secret ? 'password' : 'text'}
          autoComplete={secret ? 'off' : undefined}
          value={fields[key]}
          placeholder={placeholder}
          aria-invalid={!!errors[key]}
          onChange={event => {
            setFields({ ...fields, [key]: event.target.value });
            setSavedAs(null);
          }}
        />
        {errors[key] && (
          <span className="jp-Rucio-field-error" role="alert">
            {errors[key]}
          </span>
        )}
      </div>
    );
  };

  return (
    <form className="jp-Rucio-settings" onSubmit={save}>
      <InstancePicker
        auth={auth}
        trans={trans}
        onError={props.onError}
        always
      />
      <ConnectionStatus auth={auth} trans={trans} />
      <div className="jp-Rucio-field">
        <label htmlFor="jp-Rucio-auth-method">
          {trans.__('Authentication')}
        </label>
        <select
          id="jp-Rucio-auth-method"
          className="jp-mod-styled"
          value={shownMethod}
          onChange={event => {
            setMethod(event.target.value as AuthMethod);
            setSavedAs(null);
            setErrors({});
            setFailure(null);
          }}
        >
          {methods.map(option => (
            <option key={option} value={option}>
              {methodLabel(option, trans)}
            </option>
          ))}
        </select>
      </div>
      {METHOD_FIELDS[shownMethod].map(input)}
      {failure && (
        <div className="jp-Rucio-save-failure" role="alert">
          {trans.__('Not saved: %1', failure.message)}
        </div>
      )}
      {savedAs && (
        <div className="jp-Rucio-save-success" role="status">
          {trans.__('Saved. Rucio accepted the credentials of %1.', savedAs)}
        </div>
      )}
      <div className="jp-Rucio-actions">
        <button
          type="submit"
          className="jp-mod-styled jp-mod-accept jp-Rucio-save"
          disabled={saving}
        >
          {saving ? trans.__('Checking…') : trans.__('Save')}
        </button>
      </div>
    </form>
  );
}

function ConnectionStatus(props: {
  auth: AuthModel;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { auth, trans } = props;
  const account = auth.account;
  if (auth.status === 'connected' && account) {
    // An OIDC access token is Rucio's token too: its end is shown once, as the credential's.
    const expiry =
      account.method === 'oidc' && account.credential_expires_at
        ? ''
        : formatTime(account.expires_at);
    return (
      <>
        <div className="jp-Rucio-connected" role="status">
          {trans.__('Signed in as %1', account.account)}
          {expiry && (
            <span className="jp-Rucio-muted">
              {' · '}
              {trans.__('token valid until %1', expiry)}
            </span>
          )}
        </div>
        <CredentialExpiry account={account} trans={trans} />
      </>
    );
  }
  if (auth.status === 'no-credentials') {
    return (
      <div className="jp-Rucio-muted" role="status">
        {auth.error && auth.saved?.method
          ? trans.__('Saved credentials were refused: %1', auth.error.message)
          : trans.__('Not signed in.')}
      </div>
    );
  }
  return null;
}

/** Below this much time left, the credential's line turns into a warning. */
export const EXPIRY_WARNING_MS = 60 * 60 * 1000;

function timeLeft(ms: number, trans: TranslationBundle): string {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  if (minutes < 60) {
    return trans.__('%1 min', minutes);
  }
  const hours = Math.floor(minutes / 60);
  return hours < 48
    ? trans.__('%1 h %2 min', hours, minutes % 60)
    : trans.__('%1 days', Math.floor(hours / 24));
}

/** How long the proxy, certificate or OIDC token lasts; a warning when it ends soon. */
function CredentialExpiry(props: {
  account: Rucio.IWhoami;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { account, trans } = props;
  const until = account.credential_expires_at;
  if (!until) {
    return null;
  }
  const what =
    account.method === 'x509_proxy'
      ? trans.__('X.509 proxy')
      : account.method === 'x509'
        ? trans.__('Certificate')
        : trans.__('Access token');
  const left = new Date(until).getTime() - Date.now();
  if (left < EXPIRY_WARNING_MS) {
    return (
      <div className="jp-Rucio-credential-expiry jp-mod-warning" role="alert">
        {account.method === 'x509_proxy'
          ? trans.__(
              '%1 expires in %2 (%3): make a new one (voms-proxy-init) before it does.',
              what,
              timeLeft(left, trans),
              formatTime(until)
            )
          : trans.__(
              '%1 expires in %2 (%3).',
              what,
              timeLeft(left, trans),
              formatTime(until)
            )}
      </div>
    );
  }
  return (
    <div className="jp-Rucio-credential-expiry jp-Rucio-muted" role="status">
      {trans.__(
        '%1 valid until %2 (%3 left)',
        what,
        formatTime(until),
        timeLeft(left, trans)
      )}
    </div>
  );
}
