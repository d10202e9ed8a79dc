import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';

import { valueText } from './filters';
import { IMetadataEntry } from './filtersModel';

/** DID-column keys worth showing and filtering by (not sizes, checksums or dates). */
const COLUMN_KEYS = [
  'datatype',
  'project',
  'run_number',
  'stream_name',
  'prod_step',
  'version',
  'campaign',
  'events',
  'task_id',
  'lumiblocknr',
  'provenance',
  'phys_group'
];
const NUMBER_COLUMNS = new Set([
  'run_number',
  'events',
  'task_id',
  'lumiblocknr'
]);

export const METADATA_HEIGHT = 52;

interface IMetaItem {
  key: string;
  value: unknown;
  json: boolean;
}

function items(entry: IMetadataEntry): IMetaItem[] {
  const details = entry.details;
  if (!details) {
    return [];
  }
  const columns = COLUMN_KEYS.filter(
    key => details.meta[key] !== null && details.meta[key] !== undefined
  ).map(key => ({ key, value: details.meta[key], json: false }));
  const json = Object.entries(details.json_meta ?? {})
    .filter(([, value]) => value !== null && typeof value !== 'object')
    .map(([key, value]) => ({ key, value, json: true }));
  return [...columns, ...json];
}

/** A DID's metadata (both plugins) in its expanded row; a value becomes a filter on click. */
export function DidMetadata(props: {
  entry: IMetadataEntry;
  trans: TranslationBundle;
  onFilter: (condition: string) => void;
}): JSX.Element {
  const { entry, trans } = props;
  if (entry.error) {
    return (
      <div className="jp-Rucio-metadata jp-Rucio-error-text">
        {trans.__('Metadata unavailable: %1', entry.error.message)}
      </div>
    );
  }
  if (!entry.details) {
    return (
      <div className="jp-Rucio-metadata jp-Rucio-muted">
        {trans.__('Loading metadata…')}
      </div>
    );
  }
  const list = items(entry);
  return (
    <div
      className="jp-Rucio-metadata"
      role="list"
      aria-label={trans.__('Metadata')}
    >
      {list.length === 0 && (
        <span className="jp-Rucio-muted">{trans.__('No metadata')}</span>
      )}
      {list.map(item => {
        const isText =
          typeof item.value === 'string' &&
          (item.json || !NUMBER_COLUMNS.has(item.key));
        const condition = `${item.key}=${valueText(item.value, isText)}`;
        return (
          <button
            key={item.key}
            role="listitem"
            type="button"
            className="jp-Rucio-meta-value"
            data-key={item.key}
            data-plugin={item.json ? 'json' : 'did_column'}
            title={trans.__('Filter by %1', condition)}
            onClick={() => props.onFilter(condition)}
          >
            <span className="jp-Rucio-meta-key">{item.key}</span>
            {String(item.value)}
          </button>
        );
      })}
    </div>
  );
}
