import {
  IPageRequest,
  IRequestParams,
  IRucioApi,
  Rucio,
  RucioApiError,
  SearchType
} from '../tokens';

/** A DID summary for tests. */
export function did(name: string, scope = 'bulk'): Rucio.IDidSummary {
  return { scope, name, did_type: 'FILE', bytes: 1000, length: null };
}

/** A configured instance as the server describes it, for tests. */
export function instance(
  name: string,
  rucioUrl = 'http://127.0.0.1:18080'
): Rucio.IInstance {
  return {
    name,
    display_name: name === 'local' ? 'Local Rucio' : name,
    rucio_url: rucioUrl,
    webui_url: null,
    mode: 'replica',
    site: null,
    vo: null,
    default_lifetime_days: null,
    wildcard_enabled: true,
    destination_rse: 'HUB_USERDISK',
    auth_methods: ['userpass', 'x509', 'x509_proxy', 'oidc']
  };
}

export function availability(
  state: Rucio.IAvailability['state'],
  change: Partial<Rucio.IAvailability> = {}
): Rucio.IAvailability {
  return {
    did: 'physics:run2024.raw',
    state,
    files_total: 3,
    files_available: 1,
    files_replicating: 2,
    bytes_total: 144051,
    message: null,
    rule: null,
    webui_url: null,
    location: null,
    ...change
  };
}

/**
 * An in-memory stand-in for our own API interface, for unit tests of the models: a
 * scope of `total` files served page by page with cursors like the server's.
 */
export class FakeApi implements IRucioApi {
  constructor(public total = 0) {}

  searchCalls: { did: string; type: SearchType; page: IPageRequest }[] = [];
  availabilityState: Rucio.IAvailability['state'] = 'NOT_AVAILABLE';
  availabilityCalls = 0;
  detailsCalls: string[] = [];
  failWith: RucioApiError | null = null;
  /** When set, searches wait for this promise before answering. */
  gate: Promise<void> | null = null;
  credentialResult: Rucio.ICredentialResult | RucioApiError = {
    instance: 'local',
    method: 'userpass',
    account: 'jdoe',
    expires_at: '2030-01-01T00:00:00+00:00'
  };
  saveCalls: Rucio.ICredentialInput[] = [];
  saved: Rucio.ISavedCredentials = {
    instance: 'local',
    method: null,
    saved: {}
  };

  /** Answers of the generic routes, by `VERB path`; unknown routes fail like a 404. */
  routes: Record<string, (input: unknown) => unknown> = {};
  routeCalls: { route: string; input: unknown }[] = [];

  async get<T>(path: string, params?: IRequestParams): Promise<T> {
    return this._route<T>(`GET ${path}`, params);
  }

  async send<T>(
    method: 'put' | 'post' | 'delete',
    path: string,
    body?: unknown
  ): Promise<T> {
    return this._route<T>(`${method.toUpperCase()} ${path}`, body);
  }

  private async _route<T>(route: string, input: unknown): Promise<T> {
    this.routeCalls.push({ route, input });
    const answer = this.routes[route];
    if (!answer) {
      throw new RucioApiError(`No such endpoint: ${route}`, 404);
    }
    return answer(input) as T;
  }

  async instances(): Promise<Rucio.IInstanceList> {
    return {
      instances: [instance('local')],
      active: 'local',
      default_auth_method: 'userpass',
      problems: []
    };
  }
  setActiveInstance(): Promise<Rucio.IInstanceList> {
    return this.instances();
  }
  async credentials(): Promise<Rucio.ISavedCredentials> {
    return this.saved;
  }
  async saveCredentials(
    input: Rucio.ICredentialInput
  ): Promise<Rucio.ICredentialResult> {
    this.saveCalls.push(input);
    if (this.credentialResult instanceof RucioApiError) {
      throw this.credentialResult;
    }
    return this.credentialResult;
  }
  async whoami(): Promise<Rucio.IWhoami> {
    if (this.credentialResult instanceof RucioApiError) {
      throw this.credentialResult;
    }
    return this.credentialResult;
  }
  async scopes(): Promise<string[]> {
    return ['bulk', 'physics'];
  }
  async searchDids(
    query: string,
    type: SearchType,
    page: IPageRequest
  ): Promise<Rucio.IDidPage> {
    this.searchCalls.push({ did: query, type, page });
    if (this.gate) {
      await this.gate;
    }
    if (page.signal?.aborted) {
      throw new RucioApiError('Request cancelled', -1);
    }
    if (this.failWith) {
      throw this.failWith;
    }
    const start = page.cursor ? Number(page.cursor) : 0;
    const end = Math.min(this.total, start + page.limit);
    const items = [];
    for (let i = start; i < end; i++) {
      items.push(did(`sample.${String(i).padStart(5, '0')}.dat`));
    }
    const hasMore = end < this.total;
    return {
      items,
      next_cursor: hasMore ? String(end) : null,
      has_more: hasMore
    };
  }
  contents(didText: string, page: IPageRequest): Promise<Rucio.IDidPage> {
    return this.searchDids(didText, 'file', page);
  }
  async details(didText: string): Promise<Rucio.IDidDetails> {
    this.detailsCalls.push(didText);
    const [scope, name] = didText.split(':');
    return {
      scope,
      name,
      did_type: 'DATASET',
      bytes: 4096,
      length: 4,
      account: 'jdoe',
      created_at: null,
      meta: {}
    };
  }
  async availability(didText: string): Promise<Rucio.IAvailability> {
    this.availabilityCalls += 1;
    return availability(this.availabilityState, { did: didText });
  }
  async makeAvailable(didText: string): Promise<Rucio.IMakeAvailableResult> {
    this.availabilityState = 'REPLICATING';
    return { ...availability('REPLICATING', { did: didText }), created: true };
  }
}
