import { TranslationBundle } from '@jupyterlab/translation';
import React, { useEffect, useMemo, useRef, useState } from 'react';

import { humanSize } from '../format';
import { UploadApi } from './api';
import { IUploadRequest, IUploadRse, ISelection } from './types';
import {
  IUploadChoices,
  IUploadContext,
  lifetimeOf,
  validate
} from './validation';

/** How many file rows the dialog shows; the others keep their default names. */
export const MAX_SHOWN_FILES = 200;
const CHECK_DELAY_MS = 300;

export interface IUploadFormProps {
  api: UploadApi;
  selection: ISelection;
  trans: TranslationBundle;
  defaultRse: string | null;
  defaultLifetimeDays: number | null;
  /** The request to send, or null while the choices are not valid. */
  onChange: (request: IUploadRequest | null) => void;
}

function rseLabel(rse: IUploadRse, trans: TranslationBundle): string {
  return rse.remaining_bytes === null
    ? trans.__('%1 (no quota limit)', rse.name)
    : trans.__('%1 (%2 left)', rse.name, humanSize(rse.remaining_bytes));
}

/** The body of the upload dialog: where, under which names, for how long, in which dataset. */
export function UploadForm(props: IUploadFormProps): JSX.Element {
  const { api, selection, trans } = props;
  const root = useRef<HTMLDivElement>(null);
  const [choices, setChoices] = useState<IUploadChoices>({
    rse: '',
    scope: '',
    files: selection.files,
    names: Object.fromEntries(selection.files.map(f => [f.path, f.name])),
    lifetimeDays: props.defaultLifetimeDays
      ? String(props.defaultLifetimeDays)
      : '',
    datasetMode: 'none',
    dataset: ''
  });
  const [context, setContext] = useState<IUploadContext>({
    rses: [],
    scopes: [],
    existing: [],
    datasets: []
  });
  const [loadError, setLoadError] = useState<string | null>(null);
  const [datasetQuery, setDatasetQuery] = useState('');
  const update = (change: Partial<IUploadChoices>) =>
    setChoices(current => ({ ...current, ...change }));

  useEffect(() => {
    Promise.all([api.rses(), api.scopes()])
      .then(([rses, scopes]) => {
        setContext(current => ({ ...current, rses, scopes }));
        const rse =
          rses.find(r => r.name === props.defaultRse)?.name ??
          rses[0]?.name ??
          '';
        const scope =
          scopes.find(s => s.startsWith('user.')) ?? scopes[0] ?? '';
        update({ rse, scope });
      })
      .catch((error: Error) => setLoadError(error.message));
  }, [api]);

  // Names taken in the scope: one bulk check, shortly after the user stops typing.
  const names = useMemo(() => {
    const all = selection.files.map(f => choices.names[f.path] ?? f.name);
    return choices.datasetMode === 'new' ? all.concat([choices.dataset]) : all;
  }, [choices.names, choices.dataset, choices.datasetMode]);
  useEffect(() => {
    if (!choices.scope) {
      return;
    }
    const timer = setTimeout(() => {
      api
        .existing(choices.scope, names.filter(Boolean))
        .then(existing => setContext(current => ({ ...current, existing })))
        .catch((error: Error) => setLoadError(error.message));
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [choices.scope, names]);

  useEffect(() => {
    if (choices.datasetMode !== 'existing' || !choices.scope) {
      return;
    }
    const timer = setTimeout(() => {
      api
        .datasets(choices.scope, datasetQuery)
        .then(datasets => setContext(current => ({ ...current, datasets })))
        .catch((error: Error) => setLoadError(error.message));
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [choices.datasetMode, choices.scope, datasetQuery]);

  const result = validate(choices, context, trans);
  const loading = context.rses.length === 0 && !loadError;
  const valid = !loading && !loadError && result.problems.length === 0;
  useEffect(() => {
    props.onChange(
      valid
        ? {
            files: selection.files.map(f => ({
              path: f.path,
              name: choices.names[f.path] ?? f.name
            })),
            rse: choices.rse,
            scope: choices.scope,
            lifetime_days: lifetimeOf(choices),
            dataset: choices.datasetMode === 'none' ? null : choices.dataset
          }
        : null
    );
    // The dialog re-checks for `.jp-mod-error` on input events: tell it the state changed.
    root.current?.dispatchEvent(new Event('input', { bubbles: true }));
  });

  const shown = selection.files.slice(0, MAX_SHOWN_FILES);
  return (
    // `jp-mod-error` keeps the dialog's Upload button disabled while a choice is not valid.
    <div
      className={`jp-Rucio-upload-form${valid ? '' : ' jp-mod-error'}`}
      ref={root}
    >
      <p className="jp-Rucio-upload-summary">
        {trans._n(
          '%1 file, %2',
          '%1 files, %2',
          selection.files.length,
          humanSize(selection.bytes)
        )}
      </p>
      <SelectField
        label={trans.__('Destination RSE')}
        value={choices.rse}
        options={context.rses.map(rse => [rse.name, rseLabel(rse, trans)])}
        onChange={rse => update({ rse })}
      />
      {result.quota && (
        <p className="jp-Rucio-upload-warning" role="alert">
          {result.quota}
        </p>
      )}
      <SelectField
        label={trans.__('Scope')}
        value={choices.scope}
        options={context.scopes.map(scope => [scope, scope])}
        onChange={scope => update({ scope })}
      />
      <div className="jp-Rucio-upload-files" role="list">
        {shown.map(file => (
          <div className="jp-Rucio-upload-file" role="listitem" key={file.path}>
            <span className="jp-Rucio-upload-path" title={file.path}>
              {file.path} · {humanSize(file.bytes)}
            </span>
            <input
              className="jp-mod-styled"
              aria-label={trans.__('DID name for %1', file.path)}
              aria-invalid={!!result.names[file.path]}
              value={choices.names[file.path] ?? file.name}
              onChange={e =>
                update({
                  names: { ...choices.names, [file.path]: e.target.value }
                })
              }
            />
            {result.names[file.path] && (
              <span className="jp-Rucio-upload-error">
                {result.names[file.path]}
              </span>
            )}
            {result.notes[file.path] && (
              <span className="jp-Rucio-upload-note">
                {result.notes[file.path]}
              </span>
            )}
          </div>
        ))}
        {selection.files.length > shown.length && (
          <p className="jp-Rucio-upload-note">
            {trans.__(
              '%1 more files keep their default names.',
              selection.files.length - shown.length
            )}
          </p>
        )}
      </div>
      <label className="jp-Rucio-upload-field">
        <span>{trans.__('Lifetime')}</span>
        <select
          className="jp-mod-styled"
          aria-label={trans.__('Lifetime')}
          value={choices.lifetimeDays === '' ? 'none' : 'days'}
          onChange={e =>
            update({
              lifetimeDays:
                e.target.value === 'none'
                  ? ''
                  : String(props.defaultLifetimeDays ?? 30)
            })
          }
        >
          <option value="none">
            {trans.__('No lifetime (kept until deleted)')}
          </option>
          <option value="days">{trans.__('Days')}</option>
        </select>
        {choices.lifetimeDays !== '' && (
          <input
            className="jp-mod-styled"
            type="number"
            min={1}
            aria-label={trans.__('Lifetime in days')}
            value={choices.lifetimeDays}
            onChange={e => update({ lifetimeDays: e.target.value })}
          />
        )}
      </label>
      <DatasetChoice
        choices={choices}
        datasets={context.datasets}
        query={datasetQuery}
        onQuery={setDatasetQuery}
        onChange={update}
        trans={trans}
      />
      {loading && <p>{trans.__('Loading where you may upload…')}</p>}
      {loadError && (
        <p className="jp-Rucio-upload-problems jp-mod-error" role="alert">
          {loadError}
        </p>
      )}
      {!loading && result.problems.length > 0 && (
        <ul
          className="jp-Rucio-upload-problems jp-mod-error"
          aria-label={trans.__('Problems')}
        >
          {result.problems.map(problem => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A labelled drop-down of [value, label] options. */
function SelectField(props: {
  label: string;
  value: string;
  options: [string, string][];
  onChange: (value: string) => void;
}): JSX.Element {
  return (
    <label className="jp-Rucio-upload-field">
      <span>{props.label}</span>
      <select
        className="jp-mod-styled"
        aria-label={props.label}
        value={props.value}
        onChange={e => props.onChange(e.target.value)}
      >
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

interface IDatasetChoiceProps {
  choices: IUploadChoices;
  datasets: string[];
  query: string;
  onQuery: (query: string) => void;
  onChange: (change: Partial<IUploadChoices>) => void;
  trans: TranslationBundle;
}

/** "Add to dataset": none, an existing dataset of the scope (by search), or a new one. */
function DatasetChoice(props: IDatasetChoiceProps): JSX.Element {
  const { choices, trans, onChange } = props;
  return (
    <fieldset className="jp-Rucio-upload-dataset">
      <legend>{trans.__('Add to dataset')}</legend>
      {(['none', 'new', 'existing'] as const).map(mode => (
        <label key={mode}>
          <input
            type="radio"
            name="jp-Rucio-upload-dataset-mode"
            checked={choices.datasetMode === mode}
            onChange={() => onChange({ datasetMode: mode, dataset: '' })}
          />
          {mode === 'none'
            ? trans.__('No dataset')
            : mode === 'new'
              ? trans.__('New dataset')
              : trans.__('Existing dataset')}
        </label>
      ))}
      {choices.datasetMode === 'new' && (
        <input
          className="jp-mod-styled"
          aria-label={trans.__('New dataset name')}
          placeholder={trans.__('name of the new dataset in %1', choices.scope)}
          value={choices.dataset}
          onChange={e => onChange({ dataset: e.target.value })}
        />
      )}
      {choices.datasetMode === 'existing' && (
        <>
          <input
            className="jp-mod-styled"
            type="search"
            aria-label={trans.__('Search datasets')}
            placeholder={trans.__('search the datasets of %1', choices.scope)}
            value={props.query}
            onChange={e => props.onQuery(e.target.value)}
          />
          <div className="jp-Rucio-upload-datasets" role="listbox">
            {props.datasets.map(name => (
              <div
                key={name}
                role="option"
                aria-selected={choices.dataset === name}
                className="jp-Rucio-upload-dataset-option"
                onClick={() => onChange({ dataset: name })}
              >
                {choices.scope}:{name}
              </div>
            ))}
          </div>
        </>
      )}
    </fieldset>
  );
}
