import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import React, { useCallback, useEffect, useRef, useState } from 'react';

import { InstancePicker } from '../auth/InstancePicker';
import { formatResultCount } from '../format';
import {
  IRucioAuth,
  IRucioSession,
  Rucio,
  RucioApiError,
  SearchType
} from '../tokens';
import { useSignal } from '../useSignal';
import { DidDetail, DidRow } from './DidRow';
import { FilterBar } from './filtersBar';
import { inlineErrorText } from './errors';
import { DidMetadata, METADATA_HEIGHT } from './filtersMeta';
import { addCondition, rucioCommand } from './filters';
import { didOf, ExploreModel } from './model';
import { parseDidQuery } from './search';
import { SearchBar } from './SearchBar';
import { VirtualList } from './VirtualList';

export const ROW_HEIGHT = 28;
/** Height of an expanded DID's details; opening a collection's files adds a list. */
export const DETAIL_HEIGHT = 88;
export const CONTENTS_HEIGHT = 132;
/** The line of DID commands that feature plugins add (e.g. Add to notebook). */
export const ACTIONS_HEIGHT = 32;

export interface IExploreViewProps {
  model: ExploreModel;
  auth: IRucioAuth;
  trans: TranslationBundle;
  onOpenSettings: () => void;
  /** Shows a failed action as a Notification; returns its id. */
  onError: (summary: string, error: RucioApiError) => string | void;
  /** Where the commands offered on every DID come from (none when absent). */
  commands?: CommandRegistry;
  session?: IRucioSession;
}

/** The Explore section: connection state, search, and the windowed results. */
export function ExploreView(props: IExploreViewProps): JSX.Element {
  useSignal(props.auth.changed);
  if (props.auth.status !== 'connected') {
    return <ConnectionNotice {...props} />;
  }
  return <SearchAndResults {...props} />;
}

function ConnectionNotice(props: IExploreViewProps): JSX.Element {
  const { auth, trans } = props;
  if (auth.status === 'loading') {
    return (
      <div className="jp-Rucio-notice" aria-busy="true">
        <span className="jp-Rucio-spinner" /> {trans.__('Connecting…')}
      </div>
    );
  }
  if (auth.status === 'no-instance') {
    return (
      <div className="jp-Rucio-notice">
        {trans.__(
          'No Rucio instance is configured on this server. Ask the administrator of the hub to configure one.'
        )}
      </div>
    );
  }
  const unreachable = auth.status === 'error';
  return (
    <div className="jp-Rucio-notice jp-Rucio-needs-credentials">
      <InstancePicker auth={auth} trans={trans} onError={props.onError} />
      <p>
        {unreachable
          ? trans.__('The Rucio extension could not check your credentials.')
          : trans.__(
              'Set your Rucio credentials in Settings to explore data on %1.',
              auth.active?.display_name ?? ''
            )}
      </p>
      {!unreachable && auth.error && (
        // Why the saved credentials stopped working, e.g. an expired proxy or token.
        <p className="jp-Rucio-refused" role="alert">
          {auth.error.message}
        </p>
      )}
      <button
        className="jp-mod-styled jp-mod-accept jp-Rucio-open-settings"
        onClick={props.onOpenSettings}
      >
        {trans.__('Open Settings')}
      </button>
      {unreachable && auth.error && (
        <details className="jp-Rucio-reason">
          <summary>{trans.__('Reason')}</summary>
          {auth.error.message}
        </details>
      )}
    </div>
  );
}

function SearchAndResults(props: IExploreViewProps): JSX.Element {
  const { model, auth, trans, onError, commands, session } = props;
  useSignal(model.changed);
  useSignal<unknown>(session?.didCommandsChanged ?? model.changed);
  // A command may become unavailable (e.g. Add to notebook with no notebook open).
  useSignal<unknown>(commands?.commandChanged ?? model.changed);
  const didCommands = commands && session ? session.didCommands : [];
  const [active, setActive] = useState(-1);
  const results = model.search.results;

  const wantScopes = useCallback(() => {
    if (model.scopes === null) {
      void model.loadScopes();
    }
  }, [model]);
  useEffect(wantScopes, [model, auth.activeName]);

  const dismiss = (id: string | null) => {
    if (id) {
      Notification.dismiss(id);
    }
  };
  // A refused credential is not the search's fault: Explore asks to sign in again.
  const followCredentials = () => {
    const error = results.error;
    if (error?.needsCredentials) {
      auth.markUnauthorized(error);
    }
  };

  const onSearch = async (query: string, type: SearchType) => {
    setActive(-1);
    dismiss(await model.runSearch(query, type));
    followCredentials();
  };

  const onNearEnd = useCallback(async () => {
    if (!results.hasMore || results.loading || results.error) {
      return;
    }
    await model.loadMore();
    followCredentials();
  }, [results, results.items.length, results.loading]);

  const [filterEdits, setFilterEdits] = useState(0);
  const searchedScope = parseDidQuery(model.search.query)?.scope ?? null;
  const onFilter = async (filter: string) => {
    model.search.filter = filter;
    if (model.search.query) {
      setActive(-1);
      dismiss(
        await model.runSearch(model.search.query, model.search.type, filter)
      );
      followCredentials();
    } else {
      setFilterEdits(filterEdits + 1);
    }
  };

  const clearErrors = () => {
    if (model.errors.inline || model.errors.notification) {
      dismiss(model.report({ kind: 'action' }));
    }
  };

  const toggle = (index: number) => {
    setActive(index);
    clearErrors();
    model.toggle(didOf(results.items[index]));
  };
  // The rows get one callback for the life of the view, so that a row whose DID, state and
  // size did not change is not rendered again; it calls the toggle of the latest render.
  const latestToggle = useRef(toggle);
  latestToggle.current = toggle;
  const onToggle = useCallback(
    (index: number) => latestToggle.current(index),
    []
  );

  const makeAvailable = async (did: string) => {
    clearErrors();
    try {
      await model.availability.makeAvailable(did);
    } catch (error) {
      const id = onError(
        trans.__('Could not make %1 available', did),
        error as RucioApiError
      );
      if (id) {
        dismiss(model.report({ kind: 'notified', id }));
      }
    }
  };

  const expandedIndices = useRef(new ExpandedIndices()).current;
  const expanded = expandedIndices.of(results.items, model);

  // Rows within the searched scope show their names alone; the scope is named once above.
  const scopes = results.scopes;
  const listScope =
    searchedScope &&
    (scopes.size === 0 || (scopes.size === 1 && scopes.has(searchedScope)))
      ? searchedScope
      : null;

  const renderRow = (index: number, isActive: boolean) => {
    const item = results.items[index];
    const did = didOf(item);
    const isExpanded = model.isExpanded(did);
    const entry = model.availability.get(did);
    return (
      <>
        <DidRow
          index={index}
          item={item}
          active={isActive}
          expanded={isExpanded}
          entry={entry}
          size={
            item.did_type !== 'FILE' && item.length === null
              ? model.sizes.get(did)
              : undefined
          }
          listScope={listScope}
          trans={trans}
          onToggle={onToggle}
        />
        {isExpanded && (
          <DidDetail
            did={did}
            isCollection={item.did_type !== 'FILE'}
            entry={entry}
            contents={model.hasContents(did) ? model.contents(did) : null}
            trans={trans}
            onMakeAvailable={() => makeAvailable(did)}
            onRetry={() => model.availability.refresh(did)}
            onShowFiles={() => model.contents(did)}
            metadata={
              <DidMetadata
                entry={model.metadata.metadata(did)}
                trans={trans}
                onFilter={condition =>
                  void onFilter(addCondition(model.search.filter, condition))
                }
              />
            }
            actions={didCommands.map(id => ({
              id,
              label: commands!.label(id, { did, type: item.did_type }),
              enabled: commands!.isEnabled(id, { did, type: item.did_type }),
              execute: () =>
                void commands!.execute(id, { did, type: item.did_type })
            }))}
          />
        )}
      </>
    );
  };

  const count = results.items.length;
  const summary =
    results.loaded && !results.error
      ? formatResultCount(count, results.hasMore, trans)
      : '';
  const inline = model.errors.inline;

  return (
    <div className="jp-Rucio-explore">
      <InstancePicker auth={auth} trans={trans} onError={onError} />
      <SearchBar
        trans={trans}
        initialType={
          model.search.query
            ? model.search.type
            : model.preferences.defaultSearchType
        }
        currentQuery={model.search.query}
        scopes={model.scopes}
        busy={results.loading}
        focusPending={model.focusPending}
        onFocusTaken={() => model.focusTaken()}
        onSearch={onSearch}
        onInvalid={problem =>
          dismiss(
            model.report({
              kind: 'inline',
              error: { kind: 'invalid', text: problem }
            })
          )
        }
        onScopesWanted={wantScopes}
      />
      {inline && (
        <div className="jp-Rucio-error-text" role="alert">
          {inlineErrorText(inline, model.scopes, trans)}
        </div>
      )}
      <FilterBar
        trans={trans}
        filter={model.search.filter}
        keys={searchedScope ? model.metadata.keys(searchedScope) : null}
        command={
          model.search.query
            ? rucioCommand(
                model.search.query,
                model.search.type,
                model.search.filter
              )
            : null
        }
        onChange={filter => void onFilter(filter)}
        onKeysWanted={() =>
          searchedScope && void model.metadata.loadKeys(searchedScope)
        }
      />
      <div className="jp-Rucio-results-header" aria-live="polite">
        <span className="jp-Rucio-result-count">{summary}</span>
        {results.loading && (
          <span className="jp-Rucio-loading">
            <span className="jp-Rucio-spinner" />
            {count === 0 ? trans.__('Searching…') : trans.__('Loading more…')}
          </span>
        )}
      </div>
      {results.loaded && count === 0 && !results.error && (
        <div className="jp-Rucio-notice">
          {model.search.filter
            ? trans.__(
                'No DIDs match %1 with the filter %2',
                model.search.query,
                model.search.filter
              )
            : trans.__('No DIDs match %1', model.search.query)}
        </div>
      )}
      {listScope && count > 0 && (
        <div className="jp-Rucio-list-scope">
          {trans.__('In scope')}{' '}
          <span className="jp-Rucio-list-scope-name">{listScope}</span>
        </div>
      )}
      <VirtualList
        count={count}
        rowHeight={ROW_HEIGHT}
        keyOf={index => didOf(results.items[index])}
        detailHeight={index =>
          DETAIL_HEIGHT +
          METADATA_HEIGHT +
          (didCommands.length > 0 ? ACTIONS_HEIGHT : 0) +
          (model.hasContents(didOf(results.items[index])) ? CONTENTS_HEIGHT : 0)
        }
        expanded={expanded}
        activeIndex={active}
        label={trans.__('Search results')}
        renderRow={renderRow}
        onActiveChange={setActive}
        onActivate={toggle}
        onNearEnd={onNearEnd}
      />
    </div>
  );
}

/**
 * The indices of the expanded DIDs among the results, kept from one render to the next (the
 * list renders on every scrolled frame): the results are looked through again only when the
 * expanded DIDs or the search change, and a page that arrives is looked through alone.
 */
class ExpandedIndices {
  of(
    items: readonly Rucio.IDidSummary[],
    model: ExploreModel
  ): ReadonlySet<number> {
    const key = model.expandedDids.join('\n');
    if (
      items !== this._items ||
      key !== this._key ||
      items.length < this._scanned
    ) {
      this._items = items;
      this._key = key;
      this._scanned = 0;
      this._indices = new Set();
    }
    if (model.expandedCount > 0) {
      for (let index = this._scanned; index < items.length; index++) {
        if (model.isExpanded(didOf(items[index]))) {
          this._indices.add(index);
        }
      }
    }
    this._scanned = items.length;
    return this._indices;
  }

  private _items: readonly Rucio.IDidSummary[] | null = null;
  private _key = '';
  private _scanned = 0;
  private _indices = new Set<number>();
}
