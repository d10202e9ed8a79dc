import { ISignal, Signal } from '@lumino/signaling';

import { toApiError } from '../api';
import { IRucioApi, Rucio, RucioApiError } from '../tokens';
import { IMetadataKeys } from './filters';

/** What an expanded row shows of a DID's metadata. */
export interface IMetadataEntry {
  details: Rucio.IDidDetails | null;
  error: RucioApiError | null;
}

/**
 * The metadata side of the Explore search: the keys a filter of a scope can use, and the
 * metadata of the DIDs the user expanded (both loaded once, when first asked for).
 */
export class MetadataFilters {
  constructor(private _api: IRucioApi) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The Rucio instance; changing it forgets what was loaded. */
  set instance(name: string | undefined) {
    if (name !== this._instance) {
      this._instance = name;
      this._keys.clear();
      this._meta.clear();
    }
  }

  /** The keys of a scope (null until loaded). */
  keys(scope: string): IMetadataKeys | null {
    return this._keys.get(scope) ?? null;
  }

  async loadKeys(scope: string): Promise<void> {
    if (this._keys.has(scope) || this._loadingKeys.has(scope)) {
      return;
    }
    this._loadingKeys.add(scope);
    const instance = this._instance;
    try {
      const keys = await this._api.get<IMetadataKeys>('dids/metadata-keys', {
        scope,
        instance
      });
      if (instance === this._instance) {
        this._keys.set(scope, keys);
        this._changed.emit();
      }
    } catch {
      // Suggestions are a help: without them the builder still takes any key.
    } finally {
      this._loadingKeys.delete(scope);
    }
  }

  /** The metadata of a DID; loads it when first asked for. */
  metadata(did: string): IMetadataEntry {
    let entry = this._meta.get(did);
    if (!entry) {
      entry = { details: null, error: null };
      this._meta.set(did, entry);
      void this._loadMetadata(did, entry);
    }
    return entry;
  }

  private async _loadMetadata(did: string, entry: IMetadataEntry) {
    const instance = this._instance;
    try {
      entry.details = await this._api.details(did, instance);
    } catch (reason) {
      entry.error = toApiError(reason);
    }
    if (instance === this._instance) {
      this._changed.emit();
    }
  }

  private _instance: string | undefined;
  private _keys = new Map<string, IMetadataKeys>();
  private _loadingKeys = new Set<string>();
  private _meta = new Map<string, IMetadataEntry>();
  private _changed = new Signal<this, void>(this);
}
