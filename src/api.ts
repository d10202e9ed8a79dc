import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import axios, { AxiosInstance, isAxiosError, isCancel } from 'axios';

import {
  IPageRequest,
  IRequestParams,
  IRucioApi,
  Rucio,
  RucioApiError,
  SearchType
} from './tokens';

/** Namespace of the server extension's routes under the Jupyter base URL. */
const NAMESPACE = 'jupyterlab-rucio/';
/** Rucio calls are bounded server-side; this only guards against a hung connection. */
const REQUEST_TIMEOUT_MS = 120000;

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
    return this.get('instances');
  }

  setActiveInstance(name: string): Promise<Rucio.IInstanceList> {
    return this.send('put', 'instances/active', { name });
  }

  credentials(instance?: string): Promise<Rucio.ISavedCredentials> {
    return this.get('credentials', { instance });
  }

  saveCredentials(
    input: Rucio.ICredentialInput,
    instance?: string
  ): Promise<Rucio.ICredentialResult> {
    return this.send('put', 'credentials', input, { instance });
  }

  whoami(instance?: string): Promise<Rucio.IWhoami> {
    return this.get('whoami', { instance });
  }

  async scopes(instance?: string): Promise<string[]> {
    const reply = await this.get<{ scopes: string[] }>('scopes', {
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
    return this.get(
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
    return this.get(
      'dids/contents',
      { did, limit: page.limit, cursor: page.cursor, instance },
      page.signal
    );
  }

  details(did: string, instance?: string): Promise<Rucio.IDidDetails> {
    return this.get('dids/details', { did, instance });
  }

  availability(did: string, instance?: string): Promise<Rucio.IAvailability> {
    return this.get('dids/availability', { did, instance });
  }

  makeAvailable(
    did: string,
    instance?: string
  ): Promise<Rucio.IMakeAvailableResult> {
    return this.send('post', 'dids/make-available', { did }, { instance });
  }

  async get<T>(
    path: string,
    params: IRequestParams = {},
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

  async send<T>(
    method: 'put' | 'post' | 'delete',
    path: string,
    body: unknown,
    params: IRequestParams = {}
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

function withoutEmpty(params: IRequestParams): IRequestParams {
  const kept: IRequestParams = {};
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      kept[key] = value;
    }
  }
  return kept;
}
