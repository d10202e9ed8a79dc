/**
 * Shared contracts of the Rucio frontend: the plugin token of the Rucio session, the wire
 * types that mirror the JSON of the server extension (see jupyterlab_rucio/openapi.yaml),
 * the API interface and command ids.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import type { Widget } from '@lumino/widgets';

/** Command ids, all in the `rucio:` namespace. */
export const CommandIDs = {
  open: 'rucio:open',
  search: 'rucio:search',
  openSettings: 'rucio:open-settings'
} as const;

/** Arguments of the commands that act on one DID (row actions, context menus). */
export interface IDidCommandArgs {
  [key: string]: string | undefined;
  /** `scope:name` */
  did: string;
  /** FILE, DATASET or CONTAINER, when known. */
  type?: DidType;
}

/** Where the user stands with the active instance. */
export type ConnectionStatus =
  'loading' | 'no-instance' | 'no-credentials' | 'connected' | 'error';

/** Instances, the active one, and who the saved credentials authenticate as. */
export interface IRucioAuth {
  /** Emitted whenever anything below changed. */
  readonly changed: ISignal<IRucioAuth, void>;
  readonly instances: readonly Rucio.IInstance[];
  readonly activeName: string | null;
  readonly active: Rucio.IInstance | null;
  /** Instance settings the server left out (wrong or clashing), with the reason. */
  readonly problems: readonly Rucio.IInstanceProblem[];
  readonly account: Rucio.IWhoami | null;
  readonly status: ConnectionStatus;
  readonly error: RucioApiError | null;
  /** Reloads instances, saved credentials and the account. */
  refresh(): Promise<void>;
  /** Makes another configured instance the active one. */
  selectInstance(name: string): Promise<void>;
  /** Called when a Rucio request was refused: the credentials need attention. */
  markUnauthorized(error: RucioApiError): void;
}

/** Options of a section of the Rucio sidebar. */
export interface ISectionOptions {
  /** Sections are ordered by rank: Explore 100, Notebook 200, Uploads 300, Settings 1000. */
  rank: number;
  /**
   * The section's share of the sidebar's height when first laid out, relative to the other
   * open sections (1 unless given); a user's own resizing is kept after that.
   */
  stretch?: number;
}

/** The Rucio sidebar, to which features add their own sections. */
export interface IRucioSidebar {
  /** The widget id of the sidebar panel. */
  readonly id: string;
  addSection(section: Widget, options: ISectionOptions): void;
  /** Brings the sidebar to the front and expands the section with this widget id. */
  showSection(id: string): void;
}

/**
 * The Rucio session every feature plugin builds on: the API client, the sign-in
 * state of the active instance, the sidebar and the commands that act on a DID.
 */
export interface IRucioSession {
  readonly api: IRucioApi;
  readonly auth: IRucioAuth;
  readonly sidebar: IRucioSidebar;
  readonly trans: TranslationBundle;
  /** The name of the active instance changed (also from null to a name at start-up). */
  readonly instanceChanged: ISignal<IRucioSession, string | null>;
  /** Ids of the commands offered on every DID (taking `IDidCommandArgs`), by rank. */
  readonly didCommands: readonly string[];
  readonly didCommandsChanged: ISignal<IRucioSession, void>;
  addDidCommand(command: string, rank: number): void;
  /**
   * The DID a DID command acts on: its `did` argument, else the row under the context
   * menu that invoked it; null when there is none.
   */
  didArgs(args: { [key: string]: unknown }): IDidCommandArgs | null;
  /** Shows a failed action as a Notification that says why; returns its id. */
  notifyError(summary: string, error: Error): string;
}

export const IRucioSession = new Token<IRucioSession>(
  'jupyterlab-rucio:IRucioSession',
  'The Rucio session: API client, sign-in state, sidebar and DID commands.'
);

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

  /** A settings entry the server left out, the message naming the field. */
  export interface IInstanceProblem {
    /** config (server configuration), admin (overrides.json) or user (user settings). */
    source: 'config' | 'admin' | 'user';
    message: string;
  }

  export interface IInstanceList {
    instances: IInstance[];
    active: string | null;
    default_auth_method: AuthMethod;
    problems: IInstanceProblem[];
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
      oidc?: {
        account: string | null;
        token_source: string;
        token_file?: string;
      };
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
    token_file?: string;
    account?: string;
  }

  export interface ICredentialResult {
    instance: string;
    method: AuthMethod;
    account: string;
    /** When Rucio's token ends. */
    expires_at: string | null;
    /** When the certificate, proxy or OIDC token itself ends (null for a password). */
    credential_expires_at?: string | null;
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
    /** Metadata of the JSON plugin (keys other than the DID columns). */
    json_meta?: { [key: string]: unknown };
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
    /** Where the files available at the hub are on its file system (null: none is). */
    location: ILocation | null;
  }

  export interface ILocation {
    /** The deepest directory holding every such file. */
    directory: string;
    /** The first paths, in order (at most five). */
    paths: string[];
    /** How many files are there. */
    count: number;
  }

  export interface IMakeAvailableResult extends IAvailability {
    created: boolean;
  }
}

/** Query parameters; empty values are left out. */
export type IRequestParams = Record<string, string | number | undefined | null>;

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
  /** A GET of a route under `jupyterlab-rucio/` (for feature modules with routes of their own). */
  get<T>(
    path: string,
    params?: IRequestParams,
    signal?: AbortSignal
  ): Promise<T>;
  /** A request with a JSON body. */
  send<T>(
    method: 'put' | 'post' | 'delete',
    path: string,
    body?: unknown,
    params?: IRequestParams
  ): Promise<T>;
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
