import { nullTranslator } from '@jupyterlab/translation';
import React from 'react';

import { AuthModel } from '../auth/model';
import { SettingsView } from '../settings/SettingsView';
import {
  credentialInput,
  EMPTY_FIELDS,
  validateCredentials
} from '../settings/validation';
import { RucioApiError } from '../tokens';
import { FakeApi } from './fakeApi';
import { flush, render, type } from './render';

const trans = nullTranslator.load('jupyterlab_rucio');

describe('validateCredentials', () => {
  it('asks for username and password for userpass', () => {
    const errors = validateCredentials('userpass', EMPTY_FIELDS, trans);
    expect(Object.keys(errors).sort()).toEqual(['password', 'username']);
  });

  it('asks for certificate and key for x509; a proxy may be left to its default place', () => {
    expect(
      Object.keys(validateCredentials('x509', EMPTY_FIELDS, trans)).sort()
    ).toEqual(['certPath', 'keyPath']);
    expect(validateCredentials('x509_proxy', EMPTY_FIELDS, trans)).toEqual({});
    expect(credentialInput('x509_proxy', EMPTY_FIELDS)).toEqual({
      method: 'x509_proxy'
    });
  });

  it('takes an OIDC token or a token file, not both', () => {
    const both = { ...EMPTY_FIELDS, token: 'eyJ.x.y', tokenFile: '/run/t' };
    expect(Object.keys(validateCredentials('oidc', both, trans))).toEqual([
      'tokenFile'
    ]);
    expect(
      credentialInput('oidc', { ...EMPTY_FIELDS, tokenFile: ' /run/t ' })
    ).toEqual({ method: 'oidc', token_file: '/run/t' });
  });

  it('accepts OIDC without a token (the hub may provide one)', () => {
    expect(validateCredentials('oidc', EMPTY_FIELDS, trans)).toEqual({});
  });

  it('rejects an account Rucio would not accept', () => {
    const fields = {
      ...EMPTY_FIELDS,
      username: 'jdoe',
      password: 'x',
      account: 'Not An Account'
    };
    expect(validateCredentials('userpass', fields, trans).account).toBeTruthy();
    expect(
      validateCredentials('userpass', { ...fields, account: 'jdoe' }, trans)
    ).toEqual({});
  });

  it('sends only the fields of the chosen method', () => {
    const fields = {
      ...EMPTY_FIELDS,
      username: 'jdoe',
      password: 'secret',
      certPath: '/tmp/cert.pem'
    };
    expect(credentialInput('userpass', fields)).toEqual({
      method: 'userpass',
      username: 'jdoe',
      password: 'secret'
    });
    expect(
      credentialInput('x509_proxy', { ...fields, proxyPath: '/tmp/x509up' })
    ).toEqual({
      method: 'x509_proxy',
      proxy_path: '/tmp/x509up'
    });
  });
});

async function showSettings(api: FakeApi) {
  const auth = new AuthModel(api);
  await auth.refresh();
  const view = render(
    <SettingsView auth={auth} trans={trans} onError={jest.fn()} />
  );
  await flush();
  const field = (name: string) =>
    view.container.querySelector(`input[name="${name}"]`) as HTMLInputElement;
  const submit = async () => {
    const save = [...view.container.querySelectorAll('button')].find(
      b => b.textContent === 'Save'
    )!;
    React.act(() => save.click());
    await flush();
  };
  return { ...view, auth, field, submit };
}

describe('SettingsView', () => {
  it('shows how long a proxy lasts, and warns when it ends within the hour', async () => {
    const api = new FakeApi();
    const inHours = (hours: number) =>
      new Date(Date.now() + hours * 3600 * 1000).toISOString();
    api.saved = {
      instance: 'local',
      method: 'x509_proxy',
      saved: { x509_proxy: { proxy_path: '/tmp/x509up_u0', account: 'jdoe' } }
    };
    api.credentialResult = {
      instance: 'local',
      method: 'x509_proxy',
      account: 'jdoe',
      expires_at: inHours(1),
      credential_expires_at: inHours(5.5)
    };
    let view = await showSettings(api);
    const line = () =>
      view.container.querySelector('.jp-Rucio-credential-expiry');
    expect(line()?.textContent).toMatch(
      /^X\.509 proxy valid until .+ \(5 h (29|30) min left\)$/
    );
    expect(line()?.getAttribute('role')).toBe('status');
    view.unmount();

    api.credentialResult = {
      ...api.credentialResult,
      credential_expires_at: inHours(0.5)
    };
    view = await showSettings(api);
    expect(line()?.getAttribute('role')).toBe('alert');
    expect(line()?.textContent).toMatch(
      /^X\.509 proxy expires in (29|30) min .*voms-proxy-init/
    );
    view.unmount();
  });

  it('shows the fields of each method', async () => {
    const view = await showSettings(new FakeApi());
    expect(view.field('username')).toBeTruthy();
    expect(view.field('password').type).toBe('password');
    const select = view.container.querySelector(
      '#jp-Rucio-auth-method'
    ) as HTMLSelectElement;
    React.act(() => {
      select.value = 'x509';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(view.field('username')).toBeNull();
    expect(view.field('certPath')).toBeTruthy();
    expect(view.field('keyPath')).toBeTruthy();
    view.unmount();
  });

  it('does not send an incomplete form and says what is missing', async () => {
    const api = new FakeApi();
    const view = await showSettings(api);
    type(view.field('username'), 'jdoe');
    await view.submit();
    expect(api.saveCalls).toHaveLength(0);
    expect(view.container.textContent).toContain('Enter the password');
    view.unmount();
  });

  it('shows the reason when Rucio refuses the credentials', async () => {
    const api = new FakeApi();
    api.credentialResult = new RucioApiError(
      'Rucio refused the credentials: Cannot authenticate',
      401
    );
    const view = await showSettings(api);
    type(view.field('username'), 'jdoe');
    type(view.field('password'), 'wrong');
    await view.submit();
    expect(api.saveCalls).toEqual([
      { method: 'userpass', username: 'jdoe', password: 'wrong' }
    ]);
    expect(
      view.container.querySelector('.jp-Rucio-save-failure')?.textContent
    ).toBe('Not saved: Rucio refused the credentials: Cannot authenticate');
    expect(view.auth.status).toBe('no-credentials');
    view.unmount();
  });

  it('shows the account after a successful save and clears the password', async () => {
    const api = new FakeApi();
    const view = await showSettings(api);
    type(view.field('username'), 'jdoe');
    type(view.field('password'), 'right');
    api.saved = {
      instance: 'local',
      method: 'userpass',
      saved: {
        userpass: { username: 'jdoe', account: 'jdoe', has_password: true }
      }
    };
    await view.submit();
    expect(view.auth.status).toBe('connected');
    expect(view.container.textContent).toContain('Signed in as jdoe');
    expect(view.field('password').value).toBe('');
    expect(view.field('password').placeholder).toBe(
      'A password is saved; type it to change it'
    );
    view.unmount();
  });
});
