import { TranslationBundle } from '@jupyterlab/translation';
import React, { useEffect, useState } from 'react';

import { InstancePicker } from '../auth/InstancePicker';
import { AuthModel } from '../auth/model';
import { toApiError } from '../api';
import { formatTime } from '../format';
import { AuthMethod, RucioApiError } from '../tokens';
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
        placeholder: trans.__('e.g. /tmp/x509up_u1000')
      };
    case 'token':
      return {
        label: trans.__('Access token'),
        placeholder: trans.__('Leave empty to use the token the hub provides')
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
    const expiry = formatTime(account.expires_at);
    return (
      <div className="jp-Rucio-connected" role="status">
        {trans.__('Signed in as %1', account.account)}
        {expiry && (
          <span className="jp-Rucio-muted">
            {' · '}
            {trans.__('token valid until %1', expiry)}
          </span>
        )}
      </div>
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
