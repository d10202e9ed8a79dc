import { Clipboard, Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { closeIcon, copyIcon, filterIcon } from '@jupyterlab/ui-components';
import React, { useEffect, useId, useState } from 'react';

import {
  addCondition,
  conditionText,
  FILTER_OPERATORS,
  FilterOperator,
  filterChips,
  IMetadataKeys,
  normaliseFilter,
  removeChip,
  suggestedKeys
} from './filters';

export interface IFilterBarProps {
  trans: TranslationBundle;
  /** The filter of the search, in Rucio's syntax ('' for none). */
  filter: string;
  /** Suggestions for the scope searched (null while unknown). */
  keys: IMetadataKeys | null;
  /** The `rucio did list` command of the search, when there is a search. */
  command: string | null;
  onChange: (filter: string) => void;
  onKeysWanted: () => void;
}

/** The metadata filter of the search: removable chips, a builder and the text form. */
export function FilterBar(props: IFilterBarProps): JSX.Element {
  const { trans, filter } = props;
  const [open, setOpen] = useState(false);
  const chips = filterChips(filter);
  const copy = () => {
    if (props.command) {
      Clipboard.copyToSystem(props.command);
      Notification.success(trans.__('Copied: %1', props.command), {
        autoClose: 3000
      });
    }
  };
  return (
    <div className="jp-Rucio-filters">
      <div className="jp-Rucio-filter-chips">
        <button
          type="button"
          className="jp-mod-styled jp-Rucio-filter-toggle"
          aria-expanded={open}
          title={trans.__('Filter by metadata')}
          aria-label={trans.__('Filter by metadata')}
          onClick={() => {
            setOpen(!open);
            props.onKeysWanted();
          }}
        >
          <filterIcon.react tag="span" />
          {chips.length === 0 && trans.__('Filter…')}
        </button>
        {chips.length > 0 && (
          <span
            className="jp-Rucio-filter-chip-list"
            role="list"
            aria-label={trans.__('Metadata filters')}
          >
            {chips.map((chip, index) => (
              <span
                key={chip}
                role="listitem"
                className="jp-Rucio-filter-chip"
                data-filter={chip}
              >
                <span className="jp-Rucio-filter-chip-text">{chip}</span>
                <button
                  type="button"
                  className="jp-Rucio-filter-chip-remove"
                  aria-label={trans.__('Remove filter %1', chip)}
                  onClick={() => props.onChange(removeChip(filter, index))}
                >
                  <closeIcon.react tag="span" />
                </button>
              </span>
            ))}
          </span>
        )}
        {props.command && chips.length > 0 && (
          <button
            type="button"
            className="jp-Rucio-link jp-Rucio-filter-copy"
            title={props.command}
            data-command-line={props.command}
            aria-label={trans.__('Copy as rucio did list command')}
            onClick={copy}
          >
            <copyIcon.react tag="span" />
          </button>
        )}
      </div>
      {open && (
        <FilterBuilder
          trans={trans}
          filter={filter}
          keys={props.keys}
          onChange={props.onChange}
        />
      )}
    </div>
  );
}

interface IFilterBuilderProps {
  trans: TranslationBundle;
  filter: string;
  keys: IMetadataKeys | null;
  onChange: (filter: string) => void;
}

function FilterBuilder(props: IFilterBuilderProps): JSX.Element {
  const { trans } = props;
  const [key, setKey] = useState('');
  const [op, setOp] = useState<FilterOperator>('=');
  const [value, setValue] = useState('');
  const [text, setText] = useState(props.filter);
  const [hint, setHint] = useState('');
  const id = useId();
  useEffect(() => setText(props.filter), [props.filter]);
  const keys = suggestedKeys(props.keys);
  const known = keys.find(k => k.key === key.trim());

  const add = () => {
    const result = conditionText({ key, op, value });
    if ('error' in result) {
      setHint(
        result.error === 'key'
          ? trans.__('A key is letters, digits and _ (e.g. run_number)')
          : trans.__('Give a value without , or ; (use * as a wildcard)')
      );
      return;
    }
    setHint('');
    setValue('');
    props.onChange(addCondition(props.filter, result.text));
  };
  const onEnter = (action: () => void) => (event: React.KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      action();
    }
  };

  return (
    <div className="jp-Rucio-filter-builder">
      <div className="jp-Rucio-filter-line">
        <input
          className="jp-mod-styled jp-Rucio-filter-key"
          list={`${id}-keys`}
          value={key}
          placeholder={trans.__('key')}
          aria-label={trans.__('Metadata key')}
          spellCheck={false}
          onChange={event => setKey(event.target.value)}
          onKeyDown={onEnter(add)}
        />
        <datalist id={`${id}-keys`}>
          {keys.map(k => (
            <option key={k.key} value={k.key}>
              {props.keys?.json.some(j => j.key === k.key)
                ? trans.__('%1 (JSON)', k.type)
                : k.type}
            </option>
          ))}
        </datalist>
        <select
          className="jp-mod-styled jp-Rucio-filter-op"
          aria-label={trans.__('Operator')}
          value={op}
          onChange={event => setOp(event.target.value as FilterOperator)}
        >
          {FILTER_OPERATORS.map(o => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <input
          className="jp-mod-styled jp-Rucio-filter-value"
          list={`${id}-values`}
          value={value}
          placeholder={
            known?.type === 'date'
              ? trans.__('YYYY-MM-DD HH:MM:SS')
              : trans.__('value')
          }
          aria-label={trans.__('Value')}
          spellCheck={false}
          onChange={event => setValue(event.target.value)}
          onKeyDown={onEnter(add)}
        />
        <datalist id={`${id}-values`}>
          {(known?.examples ?? []).map(example => (
            <option key={String(example)} value={String(example)} />
          ))}
        </datalist>
        <button
          type="button"
          className="jp-mod-styled jp-mod-accept jp-Rucio-filter-add"
          onClick={add}
        >
          {trans.__('Add')}
        </button>
      </div>
      <input
        className="jp-mod-styled jp-Rucio-filter-text"
        value={text}
        placeholder={trans.__('run_number>=1000,datatype=AOD;…')}
        aria-label={trans.__('Filter in Rucio syntax')}
        title={trans.__(
          'As rucio did list --filter: , for AND, ; for OR, * as wildcard'
        )}
        spellCheck={false}
        onChange={event => setText(event.target.value)}
        onKeyDown={onEnter(() => props.onChange(normaliseFilter(text)))}
      />
      {hint && <div className="jp-Rucio-hint">{hint}</div>}
      {props.keys && !props.keys.complete && (
        <div className="jp-Rucio-muted">
          {trans.__(
            'Keys seen on the first %1 DIDs of %2',
            props.keys.sampled,
            props.keys.scope
          )}
        </div>
      )}
    </div>
  );
}
