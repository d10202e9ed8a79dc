import { ISignal, Signal } from '@lumino/signaling';

import { toApiError } from '../api';
import {
  ConnectionStatus,
  IRucioApi,
  IRucioAuth,
  Rucio,
  RucioApiError
} from '../tokens';

export type { ConnectionStatus };

/** Instances, the active one, the saved credentials and who they authenticate as. */
export class AuthModel implements IRucioAuth {
  constructor(private _api: IRucioApi) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }
  get instances(): readonly Rucio.IInstance[] {
    return this._list?.instances ?? [];
  }
  get activeName(): string | null {
    return this._list?.active ?? null;
  }
  get active(): Rucio.IInstance | null {
    return this.instances.find(i => i.name === this.activeName) ?? null;
  }
  get problems(): readonly Rucio.IInstanceProblem[] {
    return this._list?.problems ?? [];
  }
  get defaultMethod(): Rucio.IInstanceList['default_auth_method'] {
    return this._list?.default_auth_method ?? 'userpass';
  }
  get saved(): Rucio.ISavedCredentials | null {
    return this._saved;
  }
  get account(): Rucio.IWhoami | null {
    return this._whoami;
  }
  get status(): ConnectionStatus {
    return this._status;
  }
  /** Why the last check failed (not set when credentials are simply missing). */
  get error(): RucioApiError | null {
    return this._error;
  }

  /** Reloads instances, saved credentials and the account. */
  async refresh(): Promise<void> {
    this._setStatus('loading');
    try {
      this._list = await this._api.instances();
    } catch (reason) {
      this._fail(toApiError(reason));
      return;
    }
    await this._checkActive();
  }

  async selectInstance(name: string): Promise<void> {
    try {
      this._list = await this._api.setActiveInstance(name);
    } catch (reason) {
      this._fail(toApiError(reason));
      throw toApiError(reason);
    }
    await this._checkActive();
  }

  /** Validates credentials with the server; stores them when Rucio accepts them. */
  async save(input: Rucio.ICredentialInput): Promise<Rucio.ICredentialResult> {
    const instance = this.activeName ?? undefined;
    const result = await this._api.saveCredentials(input, instance);
    this._whoami = { ...result };
    this._error = null;
    try {
      this._saved = await this._api.credentials(instance);
    } catch {
      // The credentials are stored; the summary only refreshes the placeholders.
    }
    this._setStatus('connected');
    return result;
  }

  /** Called when a Rucio request was refused: the credentials need attention. */
  markUnauthorized(error: RucioApiError): void {
    this._whoami = null;
    this._error = error;
    this._setStatus('no-credentials');
  }

  private async _checkActive(): Promise<void> {
    const instance = this.activeName;
    this._whoami = null;
    this._saved = null;
    this._error = null;
    if (!instance) {
      this._setStatus('no-instance');
      return;
    }
    try {
      this._saved = await this._api.credentials(instance);
      if (!this._saved.method) {
        this._setStatus('no-credentials');
        return;
      }
      this._whoami = await this._api.whoami(instance);
      this._setStatus('connected');
    } catch (reason) {
      const error = toApiError(reason);
      if (error.needsCredentials) {
        this.markUnauthorized(error);
      } else {
        this._fail(error);
      }
    }
  }

  private _fail(error: RucioApiError): void {
    this._error = error;
    this._setStatus('error');
  }

  private _setStatus(status: ConnectionStatus): void {
    this._status = status;
    this._changed.emit();
  }

  private _list: Rucio.IInstanceList | null = null;
  private _saved: Rucio.ISavedCredentials | null = null;
  private _whoami: Rucio.IWhoami | null = null;
  private _error: RucioApiError | null = null;
  private _status: ConnectionStatus = 'loading';
  private _changed = new Signal<this, void>(this);
}
