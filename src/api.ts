import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import axios, { AxiosInstance, isAxiosError, isCancel } from 'axios';

import {
  IPageRequest,
  IRucioApi,
  Rucio,
  RucioApiError,
  SearchType
} from './tokens';

/** Namespace of the server extension's routes under the Jupyter base URL. */
const NAMESPACE = 'jupyterlab-rucio/';
/** Rucio calls are bounded server-side; this only guards against a hung connection. */
const REQUEST_TIMEOUT_MS = 120000;

type Params = Record<string, string | number | undefined | null>;

/** Turns any failure into a RucioApiError with the server's message and status. */
export function toApiError(error: unknown): RucioApiError {
  if (error instanceof RucioApiError) {
    return error;
  }
  if (isCancel(error)) {
    return new RucioApiError('Request cancelled', -1);
  }
  if (isAxiosError(error)) {
    const data = error.response?.data as { message?: unknown } | undefined;
    const status = error.response?.status ?? 0;
    const message =
      data && typeof data.message === 'string' && data.message
        ? data.message
        : error.response
          ? `${status} ${error.response.statusText}`
          : error.message || 'The Jupyter server did not answer';
    return new RucioApiError(message, status);
  }
  return new RucioApiError(
    error instanceof Error ? error.message : String(error),
    0
  );
}

/** The one client of the server extension, configured from JupyterLab's server settings. */
export class RucioApi implements IRucioApi {
  constructor(
    settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {
    const headers: Record<string, string> = {};
    if (settings.token) {
      headers['Authorization'] = `token ${settings.token}`;
    }
    this._http = axios.create({
      baseURL: URLExt.join(settings.baseUrl, NAMESPACE),
      headers,
      timeout: REQUEST_TIMEOUT_MS,
      withCredentials: true,
      xsrfCookieName: '_xsrf',
      xsrfHeaderName: 'X-XSRFToken',
      withXSRFToken: true
    });
  }

  instances(): Promise<Rucio.IInstanceList> {
    return this._get('instances');
  }

  setActiveInstance(name: string): Promise<Rucio.IInstanceList> {
    return this._send('put', 'instances/active', { name });
  }

  credentials(instance?: string): Promise<Rucio.ISavedCredentials> {
    return this._get('credentials', { instance });
  }

  saveCredentials(
    input: Rucio.ICredentialInput,
    instance?: string
  ): Promise<Rucio.ICredentialResult> {
    return this._send('put', 'credentials', input, { instance });
  }

  whoami(instance?: string): Promise<Rucio.IWhoami> {
    return this._get('whoami', { instance });
  }

  async scopes(instance?: string): Promise<string[]> {
    const reply = await this._get<{ scopes: string[] }>('scopes', {
      instance
    });
    return reply.scopes;
  }

  searchDids(
    did: string,
    type: SearchType,
    page: IPageRequest,
    instance?: string
  ): Promise<Rucio.IDidPage> {
    return this._get(
      'dids/search',
      { did, type, limit: page.limit, cursor: page.cursor, instance },
      page.signal
    );
  }

  contents(
    did: string,
    page: IPageRequest,
    instance?: string
  ): Promise<Rucio.IDidPage> {
    return this._get(
      'dids/contents',
      { did, limit: page.limit, cursor: page.cursor, instance },
      page.signal
    );
  }

  details(did: string, instance?: string): Promise<Rucio.IDidDetails> {
    return this._get('dids/details', { did, instance });
  }

  availability(did: string, instance?: string): Promise<Rucio.IAvailability> {
    return this._get('dids/availability', { did, instance });
  }

  makeAvailable(
    did: string,
    instance?: string
  ): Promise<Rucio.IMakeAvailableResult> {
    return this._send('post', 'dids/make-available', { did }, { instance });
  }

  private async _get<T>(
    path: string,
    params: Params = {},
    signal?: AbortSignal
  ): Promise<T> {
    try {
      const reply = await this._http.get<T>(path, {
        params: withoutEmpty(params),
        signal
      });
      return reply.data;
    } catch (error) {
      throw toApiError(error);
    }
  }

  private async _send<T>(
    method: 'put' | 'post',
    path: string,
    body: unknown,
    params: Params = {}
  ): Promise<T> {
    try {
      const reply = await this._http.request<T>({
        method,
        url: path,
        data: body,
        params: withoutEmpty(params)
      });
      return reply.data;
    } catch (error) {
      throw toApiError(error);
    }
  }

  private _http: AxiosInstance;
}

function withoutEmpty(params: Params): Params {
  const kept: Params = {};
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      kept[key] = value;
    }
  }
  return kept;
}
