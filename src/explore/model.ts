import { ISignal, Signal } from '@lumino/signaling';

import { toApiError } from '../api';
import { IRucioApi, Rucio, RucioApiError, SearchType } from '../tokens';
import { AvailabilityTracker } from './availability';
import { ErrorEvent, IErrorState, nextErrors, NO_ERRORS } from './errors';
import { MetadataFilters } from './filtersModel';
import { PagedDids, SearchModel } from './search';
import { CollectionSizes } from './sizes';

/** User preferences the Explore section follows (from the settings registry). */
export interface IExplorePreferences {
  defaultSearchType: SearchType;
  pageSize: number;
  pollingInterval: number;
}

export const DEFAULT_PREFERENCES: IExplorePreferences = {
  defaultSearchType: 'all',
  pageSize: 100,
  pollingInterval: 5
};

export function didOf(item: Rucio.IDidSummary): string {
  return `${item.scope}:${item.name}`;
}

/**
 * State of the Explore section: the search, which DIDs are expanded, their
 * availability and, for collections, their files. Views read it and call its methods.
 */
export class ExploreModel {
  constructor(
    private _api: IRucioApi,
    preferences: IExplorePreferences = DEFAULT_PREFERENCES
  ) {
    this._preferences = { ...preferences };
    this.search = new SearchModel(_api, preferences.pageSize);
    this.availability = new AvailabilityTracker(
      _api,
      preferences.pollingInterval
    );
    this.sizes = new CollectionSizes(_api);
    this.metadata = new MetadataFilters(_api);
    this.metadata.changed.connect(this._emit, this);
    this.search.results.changed.connect(this._emit, this);
    this.availability.changed.connect(this._emit, this);
    this.sizes.changed.connect(this._emit, this);
  }

  readonly search: SearchModel;
  readonly availability: AvailabilityTracker;
  /** Sizes of the collections on screen that the search gave without one. */
  readonly sizes: CollectionSizes;
  /** Metadata keys of scopes and metadata of expanded DIDs. */
  readonly metadata: MetadataFilters;

  /** Emitted whenever anything the Explore view shows changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }
  /**
   * Whether a command asked for the search box to take the focus. It stays pending
   * until the box exists (the panel may still be connecting) and takes it.
   */
  get focusPending(): boolean {
    return this._focusPending;
  }

  get preferences(): IExplorePreferences {
    return this._preferences;
  }
  set preferences(preferences: IExplorePreferences) {
    this._preferences = { ...preferences };
    this.search.results.pageSize = preferences.pageSize;
    this.availability.intervalSeconds = preferences.pollingInterval;
    this._emit();
  }

  /** The Rucio instance searched; changing it starts over. */
  get instance(): string | undefined {
    return this._instance;
  }
  set instance(name: string | undefined) {
    if (name === this._instance) {
      return;
    }
    this._instance = name;
    this.availability.instance = name;
    this.sizes.instance = name;
    this.metadata.instance = name;
    this._expanded.clear();
    this._contents.clear();
    this._scopes = null;
    void this.search.clear();
  }

  get scopes(): readonly string[] | null {
    return this._scopes;
  }
  get scopesError(): RucioApiError | null {
    return this._scopesError;
  }

  async loadScopes(): Promise<void> {
    const instance = this._instance;
    try {
      const scopes = await this._api.scopes(instance);
      if (instance === this._instance) {
        this._scopes = scopes;
        this._scopesError = null;
      }
    } catch (reason) {
      this._scopesError = toApiError(reason);
    }
    this._emit();
  }

  /** The error on screen (one at a time) and the Notification of a failed action. */
  get errors(): IErrorState {
    return this._errors;
  }

  /** Moves the error state on; returns the id of a Notification to dismiss, if any. */
  report(event: ErrorEvent): string | null {
    const { state, dismiss } = nextErrors(this._errors, event);
    this._errors = state;
    this._emit();
    return dismiss;
  }

  /**
   * Runs a search; its failure becomes the error shown. `expand` names DIDs to show
   * expanded once it has run (a search restored after a reload).
   */
  async runSearch(
    query: string,
    type: SearchType,
    filter?: string,
    expand: readonly string[] = []
  ): Promise<string | null> {
    const dismiss = this.report({ kind: 'action' });
    this._expanded.clear();
    this._contents.clear();
    await this.search.search(query, type, this._instance, filter);
    this._reportFailure(false);
    if (!this.search.results.error) {
      for (const did of expand) {
        this._expanded.add(did);
        this.availability.ensure(did);
      }
      this._emit();
    }
    return dismiss;
  }

  /** Loads the next page of results; its failure becomes the error shown. */
  async loadMore(): Promise<void> {
    await this.search.results.loadMore();
    this._reportFailure(true);
  }

  /** The DIDs expanded, in the order they were opened. */
  get expandedDids(): readonly string[] {
    return [...this._expanded];
  }

  requestFocus(): void {
    this._focusPending = true;
    this._emit();
  }

  focusTaken(): void {
    this._focusPending = false;
  }

  isExpanded(did: string): boolean {
    return this._expanded.has(did);
  }
  get expandedCount(): number {
    return this._expanded.size;
  }

  /** Expands or collapses a DID; expanding loads its availability. */
  toggle(did: string): void {
    if (this._expanded.has(did)) {
      this._expanded.delete(did);
    } else {
      this._expanded.add(did);
      this.availability.ensure(did);
    }
    this._emit();
  }

  /** The files of a collection, loaded page by page when first asked for. */
  contents(did: string): PagedDids {
    let paged = this._contents.get(did);
    if (!paged) {
      paged = new PagedDids(this._preferences.pageSize);
      paged.changed.connect(this._emit, this);
      this._contents.set(did, paged);
      const instance = this._instance;
      void paged.reset(page => this._api.contents(did, page, instance));
    }
    return paged;
  }

  hasContents(did: string): boolean {
    return this._contents.has(did);
  }

  dispose(): void {
    this.availability.dispose();
    Signal.clearData(this);
  }

  private _reportFailure(more: boolean): void {
    const error = this.search.results.error;
    if (error) {
      const query = this.search.query;
      this.report({
        kind: 'inline',
        error: { kind: 'failed', error, query, more }
      });
    }
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _preferences: IExplorePreferences;
  private _instance: string | undefined;
  private _expanded = new Set<string>();
  private _contents = new Map<string, PagedDids>();
  private _scopes: string[] | null = null;
  private _scopesError: RucioApiError | null = null;
  private _changed = new Signal<this, void>(this);
  private _focusPending = false;
  private _errors: IErrorState = NO_ERRORS;
}
