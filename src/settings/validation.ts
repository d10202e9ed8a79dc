import { TranslationBundle } from '@jupyterlab/translation';

import { AuthMethod, Rucio } from '../tokens';

/** What the user typed into the credentials form. */
export interface ICredentialFields {
  username: string;
  password: string;
  certPath: string;
  keyPath: string;
  proxyPath: string;
  token: string;
  tokenFile: string;
  account: string;
}

export const EMPTY_FIELDS: ICredentialFields = {
  username: '',
  password: '',
  certPath: '',
  keyPath: '',
  proxyPath: '',
  token: '',
  tokenFile: '',
  account: ''
};

/** The fields each method asks for, in display order. */
export const METHOD_FIELDS: Record<AuthMethod, (keyof ICredentialFields)[]> = {
  userpass: ['username', 'password', 'account'],
  x509: ['certPath', 'keyPath', 'account'],
  x509_proxy: ['proxyPath', 'account'],
  oidc: ['token', 'tokenFile', 'account']
};

/** Rucio account names: lower-case letters, digits, `-`, `_` and `.`, at most 25. */
const ACCOUNT_PATTERN = /^[a-z0-9-_.]{1,25}$/;

export type FieldErrors = Partial<Record<keyof ICredentialFields, string>>;

/** Checks the form before it is sent; the server still validates with Rucio. */
export function validateCredentials(
  method: AuthMethod,
  fields: ICredentialFields,
  trans: TranslationBundle
): FieldErrors {
  const errors: FieldErrors = {};
  const required = (key: keyof ICredentialFields, message: string) => {
    if (!fields[key].trim()) {
      errors[key] = message;
    }
  };
  switch (method) {
    case 'userpass':
      required('username', trans.__('Enter your Rucio username.'));
      required(
        'password',
        trans.__('Enter the password (a saved password is never shown).')
      );
      break;
    case 'x509':
      required('certPath', trans.__('Enter the path of your certificate.'));
      required('keyPath', trans.__('Enter the path of your private key.'));
      break;
    case 'x509_proxy':
      // Empty: the server looks where voms-proxy-init leaves the proxy.
      break;
    case 'oidc':
      if (fields.token.trim() && fields.tokenFile.trim()) {
        errors.tokenFile = trans.__('Give a token or a token file, not both.');
      }
      break;
  }
  const account = fields.account.trim();
  if (account && !ACCOUNT_PATTERN.test(account)) {
    errors.account = trans.__(
      'An account has at most 25 lower-case letters, digits, -, _ or .'
    );
  }
  return errors;
}

/** The request body for the fields of `method` only (nothing from other methods). */
export function credentialInput(
  method: AuthMethod,
  fields: ICredentialFields
): Rucio.ICredentialInput {
  const input: Rucio.ICredentialInput = { method };
  const account = fields.account.trim();
  if (account) {
    input.account = account;
  }
  switch (method) {
    case 'userpass':
      input.username = fields.username.trim();
      input.password = fields.password;
      break;
    case 'x509':
      input.cert_path = fields.certPath.trim();
      input.key_path = fields.keyPath.trim();
      break;
    case 'x509_proxy':
      if (fields.proxyPath.trim()) {
        input.proxy_path = fields.proxyPath.trim();
      }
      break;
    case 'oidc':
      if (fields.token.trim()) {
        input.token = fields.token.trim();
      }
      if (fields.tokenFile.trim()) {
        input.token_file = fields.tokenFile.trim();
      }
      break;
  }
  return input;
}

/** Non-secret fields pre-filled from what the server has saved. */
export function fieldsFromSaved(
  saved: Rucio.ISavedCredentials | null
): ICredentialFields {
  const s = saved?.saved ?? {};
  return {
    ...EMPTY_FIELDS,
    username: s.userpass?.username ?? '',
    certPath: s.x509?.cert_path ?? '',
    keyPath: s.x509?.key_path ?? '',
    proxyPath: s.x509_proxy?.proxy_path ?? '',
    tokenFile: s.oidc?.token_file ?? '',
    account:
      (saved?.method ? s[saved.method]?.account : null) ??
      s.userpass?.account ??
      ''
  };
}
