import { ISignal, Signal } from '@lumino/signaling';

import { IRucioApi } from '../tokens';

/** Sizes waiting for a request: a few screens of rows. */
const MAX_WAITING = 64;

/** Size and file count of a collection, as far as they are known. */
export interface ICollectionSize {
  bytes: number | null;
  length: number | null;
}

/**
 * Sizes of collections that Rucio's search leaves out (open datasets and containers
 * have no stored size). They are asked for only when a row is drawn, newest first and a
 * few at a time, so a scroll through 100,000 DIDs costs requests for the rows the user
 * stops at, not for every row that went by.
 */
export class CollectionSizes {
  constructor(
    private _api: IRucioApi,
    private _concurrency = 4
  ) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The instance the DIDs belong to; changing it forgets every size. */
  set instance(name: string | undefined) {
    if (name !== this._instance) {
      this._instance = name;
      this.clear();
    }
  }

  /** The size if known; otherwise undefined, and it is fetched in the background. */
  get(did: string): ICollectionSize | undefined {
    const known = this._sizes.get(did);
    if (known === undefined && !this._pending.has(did)) {
      this._pending.add(did);
      this._queue.push(did);
      // Rows scrolled past before their turn are not asked for: a fast scroll through a
      // scope of collections leaves only the last rows drawn waiting (a row drawn again
      // asks again).
      for (const gone of this._queue.splice(
        0,
        this._queue.length - MAX_WAITING
      )) {
        this._pending.delete(gone);
      }
      this._pump();
    }
    return known ?? undefined;
  }

  clear(): void {
    this._generation += 1;
    this._sizes.clear();
    this._pending.clear();
    this._queue = [];
  }

  private _pump(): void {
    while (this._running < this._concurrency && this._queue.length > 0) {
      // Newest first: the rows the user scrolled to last are the ones on screen.
      const did = this._queue.pop()!;
      this._running += 1;
      void this._fetch(did).finally(() => {
        this._running -= 1;
        this._pump();
      });
    }
  }

  private async _fetch(did: string): Promise<void> {
    const generation = this._generation;
    let size: ICollectionSize | null = null;
    try {
      const details = await this._api.details(did, this._instance);
      size = { bytes: details.bytes, length: details.length };
    } catch {
      // The row simply shows no size; expanding it reports what went wrong.
    }
    if (generation === this._generation) {
      this._sizes.set(did, size);
      this._changed.emit();
    }
  }

  private _instance: string | undefined;
  private _sizes = new Map<string, ICollectionSize | null>();
  private _pending = new Set<string>();
  private _queue: string[] = [];
  private _running = 0;
  private _generation = 0;
  private _changed = new Signal<this, void>(this);
}
