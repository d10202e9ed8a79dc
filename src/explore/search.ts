import { ISignal, Signal } from '@lumino/signaling';

import {
  IPageRequest,
  IRucioApi,
  Rucio,
  RucioApiError,
  SearchType
} from '../tokens';
import { toApiError } from '../api';

/** Loads one page of a paged listing (search results or a collection's files). */
export type PageLoader = (page: IPageRequest) => Promise<Rucio.IDidPage>;

/** The largest page the server sends (its `limit` maximum). */
export const MAX_PAGE_SIZE = 1000;

/**
 * A paged list of DIDs: the first page on `reset`, more pages on `loadMore`.
 * Starting over aborts the page in flight so that an old answer never lands in a new list.
 */
export class PagedDids {
  constructor(pageSize: number) {
    this.pageSize = pageSize;
  }

  /** The size of the first page (the user's setting). */
  pageSize: number;

  /**
   * The size of the next page: `pageSize` for the first, then twice the page before, up to
   * MAX_PAGE_SIZE (the setting's own maximum). The first rows come quickly, and a
   * user who keeps scrolling waits for fewer pages: 120,000 rows take 124 pages from 100, not
   * 1,200.
   */
  get nextPageSize(): number {
    return Math.min(
      MAX_PAGE_SIZE,
      this.pageSize * 2 ** Math.min(this._pages, 10)
    );
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }
  /** The DIDs loaded so far; a page arriving appends to this array (a reset starts a new one). */
  get items(): readonly Rucio.IDidSummary[] {
    return this._items;
  }
  /** The scopes of the items loaded so far. */
  get scopes(): ReadonlySet<string> {
    return this._scopes;
  }
  get hasMore(): boolean {
    return this._cursor !== null;
  }
  get loading(): boolean {
    return this._controller !== null;
  }
  get error(): RucioApiError | null {
    return this._error;
  }
  /** True once the first page has arrived (or failed). */
  get loaded(): boolean {
    return this._loaded;
  }

  /** Forgets everything and loads the first page with `loader`. */
  reset(loader: PageLoader | null): Promise<void> {
    this._controller?.abort();
    this._controller = null;
    this._loader = loader;
    this._items = [];
    this._scopes = new Set();
    this._cursor = null;
    this._error = null;
    this._loaded = false;
    this._pages = 0;
    this._changed.emit();
    return loader ? this._load(null) : Promise.resolve();
  }

  /** Loads the next page, unless one is already loading or there is none. */
  loadMore(): Promise<void> {
    if (!this._loader || this.loading || this._cursor === null) {
      return Promise.resolve();
    }
    return this._load(this._cursor);
  }

  private async _load(cursor: string | null): Promise<void> {
    const loader = this._loader!;
    const controller = new AbortController();
    this._controller = controller;
    this._error = null;
    this._changed.emit();
    try {
      const page = await loader({
        limit: this.nextPageSize,
        cursor,
        signal: controller.signal
      });
      if (this._controller !== controller) {
        return;
      }
      // Appended in place: a copy of every row so far per page would cost O(rows) each
      // time, and its garbage, at 100,000 rows.
      for (const item of page.items) {
        this._items.push(item);
        this._scopes.add(item.scope);
      }
      this._cursor = page.has_more ? page.next_cursor : null;
      this._pages += 1;
    } catch (reason) {
      if (this._controller !== controller) {
        return;
      }
      const error = toApiError(reason);
      if (!error.cancelled) {
        this._error = error;
      }
    }
    this._controller = null;
    this._loaded = true;
    this._changed.emit();
  }

  private _items: Rucio.IDidSummary[] = [];
  private _scopes = new Set<string>();
  private _cursor: string | null = null;
  private _error: RucioApiError | null = null;
  private _loaded = false;
  private _pages = 0;
  private _loader: PageLoader | null = null;
  private _controller: AbortController | null = null;
  private _changed = new Signal<this, void>(this);
}

/** Splits `scope:pattern`; null when there is no scope or no name. */
export function parseDidQuery(
  text: string
): { scope: string; name: string } | null {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  if (colon <= 0 || colon === trimmed.length - 1) {
    return null;
  }
  return { scope: trimmed.slice(0, colon), name: trimmed.slice(colon + 1) };
}

/** The search of the Explore section: query, type filter and the paged results. */
export class SearchModel {
  constructor(
    private _api: IRucioApi,
    pageSize: number
  ) {
    this.results = new PagedDids(pageSize);
  }

  readonly results: PagedDids;

  /** The query of the search shown in `results` (empty before the first search). */
  get query(): string {
    return this._query;
  }
  get type(): SearchType {
    return this._type;
  }
  /** The metadata filter of the search, in Rucio's syntax ('' for none). */
  get filter(): string {
    return this._filter;
  }
  /** Sets the filter of the next search (`search` applies it at once). */
  set filter(filter: string) {
    this._filter = filter;
  }

  /** Starts a new search; a search already running is cancelled. */
  search(
    query: string,
    type: SearchType,
    instance?: string,
    filter = this._filter
  ): Promise<void> {
    this._query = query.trim();
    this._type = type;
    this._filter = filter;
    const did = this._query;
    return this.results.reset(page =>
      filter
        ? this._api.get<Rucio.IDidPage>(
            'dids/search',
            {
              did,
              type,
              filter,
              limit: page.limit,
              cursor: page.cursor,
              instance
            },
            page.signal
          )
        : this._api.searchDids(did, type, page, instance)
    );
  }

  clear(): Promise<void> {
    this._query = '';
    return this.results.reset(null);
  }

  private _query = '';
  private _type: SearchType = 'all';
  private _filter = '';
}
