import { TranslationBundle } from '@jupyterlab/translation';
import { searchIcon } from '@jupyterlab/ui-components';
import React, { useEffect, useRef, useState } from 'react';

import { SEARCH_TYPES, SearchType } from '../tokens';
import { queryProblem } from './errors';
import { parseDidQuery } from './search';

export function searchTypeLabel(
  type: SearchType,
  trans: TranslationBundle
): string {
  switch (type) {
    case 'all':
      return trans.__('All types');
    case 'collection':
      return trans.__('Datasets and containers');
    case 'dataset':
      return trans.__('Datasets');
    case 'container':
      return trans.__('Containers');
    case 'file':
      return trans.__('Files');
  }
}

export interface ISearchBarProps {
  trans: TranslationBundle;
  initialType: SearchType;
  /** The query of the search shown (e.g. one restored after a reload). */
  currentQuery?: string;
  scopes: readonly string[] | null;
  busy: boolean;
  /** Take the focus as soon as the box is rendered. */
  focusPending: boolean;
  onFocusTaken: () => void;
  onSearch: (query: string, type: SearchType) => void;
  /** The box refused what was typed; `problem` says what to type instead. */
  onInvalid: (problem: string) => void;
  onScopesWanted: () => void;
}

/**
 * `scope:pattern` box, scope picker and type filter; Enter, the button or picking a
 * scope searches.
 */
export function SearchBar(props: ISearchBarProps): JSX.Element {
  const { trans } = props;
  const [query, setQuery] = useState('');
  const [type, setType] = useState<SearchType>(props.initialType);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setType(props.initialType);
  }, [props.initialType]);
  useEffect(() => {
    if (props.currentQuery) {
      setQuery(props.currentQuery);
    }
  }, [props.currentQuery]);
  useEffect(() => {
    if (props.focusPending && input.current) {
      input.current.focus();
      input.current.select();
      props.onFocusTaken();
    }
  }, [props.focusPending]);

  const run = (text: string) => {
    const problem = queryProblem(text, props.scopes, trans);
    if (problem) {
      props.onInvalid(problem);
    } else {
      props.onSearch(text, type);
    }
  };

  const submit = (event?: React.FormEvent) => {
    event?.preventDefault();
    run(query);
  };

  const pickScope = (scope: string) => {
    if (!scope) {
      return;
    }
    const current = parseDidQuery(query);
    const next = `${scope}:${current?.name ?? '*'}`;
    setQuery(next);
    input.current?.focus();
    run(next);
  };

  return (
    <form className="jp-Rucio-search" onSubmit={submit} role="search">
      <div className="jp-Rucio-search-line">
        <input
          ref={input}
          className="jp-mod-styled jp-Rucio-search-input"
          type="search"
          value={query}
          placeholder={trans.__('scope:name (* wildcard)')}
          aria-label={trans.__('Search DIDs')}
          spellCheck={false}
          onChange={event => setQuery(event.target.value)}
        />
        <button
          type="submit"
          className="jp-mod-styled jp-mod-accept jp-Rucio-search-button"
          title={trans.__('Search')}
          aria-label={trans.__('Search')}
        >
          {props.busy ? (
            <span className="jp-Rucio-spinner" />
          ) : (
            <searchIcon.react tag="span" />
          )}
        </button>
      </div>
      <div className="jp-Rucio-search-line">
        <select
          className="jp-mod-styled jp-Rucio-scope-picker"
          aria-label={trans.__('Scope')}
          value=""
          onFocus={props.onScopesWanted}
          onMouseDown={props.onScopesWanted}
          onChange={event => pickScope(event.target.value)}
        >
          <option value="">{trans.__('Scope…')}</option>
          {(props.scopes ?? []).map(scope => (
            <option key={scope} value={scope}>
              {scope}
            </option>
          ))}
        </select>
        <select
          className="jp-mod-styled jp-Rucio-type-filter"
          aria-label={trans.__('Type')}
          value={type}
          onChange={event => setType(event.target.value as SearchType)}
        >
          {SEARCH_TYPES.map(option => (
            <option key={option} value={option}>
              {searchTypeLabel(option, trans)}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
