/**
 * Shared contracts of the Rucio frontend: the wire types that mirror the JSON of the
 * server extension (see jupyterlab_rucio/openapi.yaml), the API interface and command ids.
 */

/** Command ids, all in the `rucio:` namespace. */
export const CommandIDs = {
  open: 'rucio:open',
  search: 'rucio:search',
  openSettings: 'rucio:open-settings'
} as const;

export type AuthMethod = 'userpass' | 'x509' | 'x509_proxy' | 'oidc';
export const AUTH_METHODS: AuthMethod[] = [
  'userpass',
  'x509',
  'x509_proxy',
  'oidc'
];

export type SearchType =
  'all' | 'collection' | 'dataset' | 'container' | 'file';
export const SEARCH_TYPES: SearchType[] = [
  'all',
  'collection',
  'dataset',
  'container',
  'file'
];

export type DidType = 'FILE' | 'DATASET' | 'CONTAINER';

export type AvailabilityState =
  | 'AVAILABLE'
  | 'NOT_AVAILABLE'
  | 'REPLICATING'
  | 'STUCK'
  | 'PARTIALLY_AVAILABLE'
  | 'EMPTY'
  | 'ERROR';

/** Wire types, named after the OpenAPI schemas and grouped so that call sites read `Rucio.IRule`. */
// eslint-disable-next-line @typescript-eslint/no-namespace
export namespace Rucio {
  export interface IInstance {
    name: string;
    display_name: string;
    rucio_url: string;
    webui_url: string | null;
    mode: 'replica' | 'download';
    site: string | null;
    vo: string | null;
    default_lifetime_days: number | null;
    wildcard_enabled: boolean;
    destination_rse: string | null;
    auth_methods: AuthMethod[];
  }

  export interface IInstanceList {
    instances: IInstance[];
    active: string | null;
    default_auth_method: AuthMethod;
  }

  export interface ISavedCredentials {
    instance: string;
    method: AuthMethod | null;
    saved: {
      userpass?: {
        username: string;
        account: string | null;
        has_password: boolean;
      };
      x509?: { cert_path: string; key_path: string; account: string | null };
      x509_proxy?: { proxy_path: string; account: string | null };
      oidc?: { account: string | null; token_source: string };
    };
  }

  export interface ICredentialInput {
    method: AuthMethod;
    username?: string;
    password?: string;
    cert_path?: string;
    key_path?: string;
    proxy_path?: string;
    token?: string;
    account?: string;
  }

  export interface ICredentialResult {
    instance: string;
    method: AuthMethod;
    account: string;
    expires_at: string | null;
  }

  export type IWhoami = ICredentialResult;

  export interface IDidSummary {
    scope: string;
    name: string;
    did_type: DidType;
    bytes: number | null;
    length: number | null;
  }

  /** A DID described in full; collections carry the size and count of their files. */
  export interface IDidDetails extends IDidSummary {
    account: string | null;
    created_at: string | null;
    meta: { [key: string]: unknown };
  }

  export interface IDidPage {
    items: IDidSummary[];
    next_cursor: string | null;
    has_more: boolean;
  }

  export interface IRule {
    id: string;
    did: string;
    rse_expression: string;
    state: string;
    locks_ok: number;
    locks_replicating: number;
    locks_stuck: number;
    expires_at: string | null;
    account: string;
    webui_url: string | null;
  }

  export interface IAvailability {
    did: string;
    state: AvailabilityState;
    files_total: number;
    files_available: number;
    files_replicating: number;
    bytes_total: number;
    message: string | null;
    rule: IRule | null;
    webui_url: string | null;
  }

  export interface IMakeAvailableResult extends IAvailability {
    created: boolean;
  }
}

/** Options of a paged request. */
export interface IPageRequest {
  limit: number;
  cursor?: string | null;
  signal?: AbortSignal;
}

/**
 * The typed client of the server extension. Every method throws a `RucioApiError`
 * carrying the server's message and HTTP status when the request fails.
 */
export interface IRucioApi {
  instances(): Promise<Rucio.IInstanceList>;
  setActiveInstance(name: string): Promise<Rucio.IInstanceList>;
  credentials(instance?: string): Promise<Rucio.ISavedCredentials>;
  saveCredentials(
    input: Rucio.ICredentialInput,
    instance?: string
  ): Promise<Rucio.ICredentialResult>;
  whoami(instance?: string): Promise<Rucio.IWhoami>;
  scopes(instance?: string): Promise<string[]>;
  searchDids(
    did: string,
    type: SearchType,
    page: IPageRequest,
    instance?: string
  ): Promise<Rucio.IDidPage>;
  contents(
    did: string,
    page: IPageRequest,
    instance?: string
  ): Promise<Rucio.IDidPage>;
  details(did: string, instance?: string): Promise<Rucio.IDidDetails>;
  availability(did: string, instance?: string): Promise<Rucio.IAvailability>;
  makeAvailable(
    did: string,
    instance?: string
  ): Promise<Rucio.IMakeAvailableResult>;
}

/** A failed request: the server's `{message}` plus the HTTP status (0 = no answer). */
export class RucioApiError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
    this.name = 'RucioApiError';
  }

  /** True when the request was superseded (a newer search cancelled it). */
  get cancelled(): boolean {
    return this.status === -1;
  }

  /** True when credentials are missing, expired or refused. */
  get needsCredentials(): boolean {
    return this.status === 401;
  }
}
