import { IStateDB } from '@jupyterlab/statedb';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { IRucioAuth, SEARCH_TYPES, SearchType } from '../tokens';
import { ExploreModel } from './model';

/**
 * Where the last search (query, type, metadata filter and the DIDs expanded) is kept
 * across reloads.
 */
export const SEARCH_STATE_KEY = 'jupyterlab-rucio:explore-search';

export interface ISavedSearch {
  query: string;
  type: SearchType;
  filter: string;
  expanded: string[];
}

/** How many expanded DIDs are kept: enough for a user's work, small in the state. */
const KEPT_EXPANDED = 50;

export function readSavedSearch(value: unknown): ISavedSearch | null {
  const saved = value as Partial<ISavedSearch> | null;
  if (
    !saved ||
    typeof saved.query !== 'string' ||
    !saved.query ||
    typeof saved.filter !== 'string' ||
    !SEARCH_TYPES.includes(saved.type as SearchType)
  ) {
    return null;
  }
  const expanded = Array.isArray(saved.expanded)
    ? saved.expanded.filter(did => typeof did === 'string')
    : [];
  return {
    query: saved.query,
    type: saved.type!,
    filter: saved.filter,
    expanded
  };
}

/** Runs the saved search once connected, then saves every new search. */
export async function keepSearch(
  state: IStateDB,
  explore: ExploreModel,
  auth: IRucioAuth
): Promise<void> {
  let saved: ISavedSearch | null = null;
  try {
    saved = readSavedSearch(await state.fetch(SEARCH_STATE_KEY));
  } catch (reason) {
    console.warn('The last Rucio search could not be restored', reason);
  }
  const current = (): ISavedSearch => ({
    query: explore.search.query,
    type: explore.search.type,
    filter: explore.search.filter,
    expanded: explore.expandedDids.slice(-KEPT_EXPANDED)
  });
  let last = JSON.stringify(saved ?? current());
  const restore = () => {
    if (saved && auth.status === 'connected') {
      const { query, type, filter, expanded } = saved;
      saved = null;
      auth.changed.disconnect(restore);
      if (!explore.search.query) {
        void explore.runSearch(query, type, filter, expanded);
      }
    }
  };
  if (saved) {
    auth.changed.connect(restore);
    restore();
  }
  explore.changed.connect(() => {
    const now = current();
    const text = JSON.stringify(now);
    if (now.query && text !== last) {
      last = text;
      void state.save(SEARCH_STATE_KEY, {
        ...now
      } as unknown as ReadonlyPartialJSONObject);
    }
  });
}
