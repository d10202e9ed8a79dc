import { TranslationBundle } from '@jupyterlab/translation';
import {
  caretDownIcon,
  caretRightIcon,
  fileIcon,
  folderIcon,
  LabIcon,
  tableRowsIcon
} from '@jupyterlab/ui-components';
import React from 'react';

import { formatCount, humanSize } from '../format';
import { DidType, Rucio } from '../tokens';
import { IAvailabilityEntry } from './availability';
import { ICollectionSize } from './sizes';
import { AvailabilityView, stateLabel } from './AvailabilityView';
import { FittedName } from './FittedName';
import { rowName } from './names';
import { PagedDids } from './search';
import { useResized } from '../useResized';

const TYPE_ICONS: Record<DidType, LabIcon> = {
  FILE: fileIcon,
  DATASET: tableRowsIcon,
  CONTAINER: folderIcon
};

export function typeLabel(type: DidType, trans: TranslationBundle): string {
  switch (type) {
    case 'FILE':
      return trans.__('File');
    case 'DATASET':
      return trans.__('Dataset');
    case 'CONTAINER':
      return trans.__('Container');
  }
}

export interface IDidRowProps {
  index: number;
  item: Rucio.IDidSummary;
  active: boolean;
  expanded: boolean;
  entry: IAvailabilityEntry | undefined;
  /** For a collection the search gave without a size: the size once fetched. */
  size?: ICollectionSize;
  /** The scope the list names once above its rows: rows in it show their name alone. */
  listScope?: string | null;
  trans: TranslationBundle;
  /** Called with the row's index when it is clicked. */
  onToggle: (index: number) => void;
}

const CARETS = {
  open: <caretDownIcon.react className="jp-Rucio-row-caret" tag="span" />,
  closed: <caretRightIcon.react className="jp-Rucio-row-caret" tag="span" />
};
const typeIcons = new WeakMap<
  TranslationBundle,
  Record<DidType, JSX.Element>
>();

/**
 * The type icons of the rows, made once per language: a row shown again with an icon of the
 * same type keeps its svg untouched (React skips an element it was given before).
 */
function typeIcon(type: DidType, trans: TranslationBundle): JSX.Element {
  let icons = typeIcons.get(trans);
  if (!icons) {
    const make = (kind: DidType) => {
      const Icon = TYPE_ICONS[kind];
      return (
        <Icon.react
          className="jp-Rucio-row-icon"
          tag="span"
          title={typeLabel(kind, trans)}
        />
      );
    };
    icons = {
      FILE: make('FILE'),
      DATASET: make('DATASET'),
      CONTAINER: make('CONTAINER')
    };
    typeIcons.set(trans, icons);
  }
  return icons[type];
}

/**
 * One result: type icon, name (shortened in the middle to the room it has), and files and
 * size; a wide panel shows type, files, size and availability in columns of their own.
 * A row whose props did not change is not rendered again (the list renders on every
 * scrolled frame).
 */
export const DidRow = React.memo(DidRowView);

function DidRowView(props: IDidRowProps): JSX.Element {
  const { item, trans, entry } = props;
  const did = `${item.scope}:${item.name}`;
  const files =
    item.length ??
    props.size?.length ??
    entry?.availability?.files_total ??
    null;
  const bytes =
    item.bytes ?? props.size?.bytes ?? entry?.availability?.bytes_total ?? null;
  const isCollection = item.did_type !== 'FILE';
  const fileCount =
    isCollection && files !== null
      ? trans._n('%1 file', '%1 files', files, formatCount(files))
      : '';
  const state = entry?.availability?.state;
  return (
    <div
      className={`jp-Rucio-row${props.active ? ' jp-mod-active' : ''}`}
      data-did={did}
      data-type={item.did_type}
      title={did}
      onClick={() => props.onToggle(props.index)}
    >
      {props.expanded ? CARETS.open : CARETS.closed}
      {typeIcon(item.did_type, trans)}
      <FittedName
        className="jp-Rucio-row-name"
        text={rowName(item.scope, item.name, props.listScope ?? null)}
      />
      <span className="jp-Rucio-row-meta">
        {fileCount}
        {fileCount && bytes !== null ? ' · ' : ''}
        {humanSize(bytes)}
      </span>
      <span className="jp-Rucio-row-column jp-Rucio-col-type">
        {typeLabel(item.did_type, trans)}
      </span>
      <span className="jp-Rucio-row-column jp-Rucio-col-files">
        {fileCount}
      </span>
      <span className="jp-Rucio-row-column jp-Rucio-col-size">
        {humanSize(bytes)}
      </span>
      <span className="jp-Rucio-row-column jp-Rucio-col-state">
        {state && (
          <span className={`jp-Rucio-badge jp-Rucio-state-${state}`}>
            {stateLabel(state, trans)}
          </span>
        )}
      </span>
    </div>
  );
}

export interface IDidDetailProps {
  did: string;
  isCollection: boolean;
  entry: IAvailabilityEntry | undefined;
  contents: PagedDids | null;
  trans: TranslationBundle;
  onMakeAvailable: () => void;
  onRetry: () => void;
  onShowFiles: () => void;
  /** Commands offered on every DID (e.g. Add to notebook). */
  actions?: IDidAction[];
  /** The DID's metadata (filtersMeta.tsx). */
  metadata?: React.ReactNode;
}

export interface IDidAction {
  id: string;
  label: string;
  /** False when the command cannot run now (shown disabled). */
  enabled?: boolean;
  execute: () => void;
}

/** What an expanded DID shows: availability, actions and, for collections, files. */
export function DidDetail(props: IDidDetailProps): JSX.Element {
  const { trans, contents } = props;
  return (
    <div
      className="jp-Rucio-detail"
      data-did={props.did}
      role="group"
      aria-label={trans.__('Details of %1', props.did)}
    >
      <AvailabilityView
        entry={props.entry}
        trans={trans}
        onMakeAvailable={props.onMakeAvailable}
        onRetry={props.onRetry}
      />
      {props.metadata}
      {props.actions && props.actions.length > 0 && (
        <div className="jp-Rucio-actions jp-Rucio-did-actions">
          {props.actions.map(action => (
            <button
              key={action.id}
              className="jp-mod-styled jp-Rucio-did-action"
              data-command={action.id}
              disabled={action.enabled === false}
              onClick={action.execute}
            >
              {action.label}
            </button>
          ))}
        </div>
      )}
      {props.isCollection && !contents && (
        <button className="jp-Rucio-link" onClick={props.onShowFiles}>
          {trans.__('Show contents')}
        </button>
      )}
      {contents && <ContentsList contents={contents} trans={trans} />}
    </div>
  );
}

/** The height of a file in a collection's contents (every one has it). */
export const CONTENT_ROW_HEIGHT = 20;
/** Files rendered above and below the visible ones. */
const CONTENT_OVERSCAN = 8;
/** Used until the scroller has been laid out (its CSS max-height in a row's detail). */
const CONTENT_FALLBACK_VIEW = 132;

/**
 * A collection's files, windowed: only those in view (and a few around them) are in the DOM,
 * the others are padding of the list inside the scroller, so that a dataset of 10,000 files
 * scrolls like one of ten. The next page loads when the view nears the end of the files loaded
 * so far.
 */
function ContentsList(props: {
  contents: PagedDids;
  trans: TranslationBundle;
}): JSX.Element {
  const { contents, trans } = props;
  const scroller = React.useRef<HTMLDivElement>(null);
  const [top, setTop] = React.useState(0);
  const [height, setHeight] = React.useState(CONTENT_FALLBACK_VIEW);
  useResized(
    scroller,
    React.useCallback(
      (node: HTMLDivElement) =>
        setHeight(node.clientHeight || CONTENT_FALLBACK_VIEW),
      []
    )
  );
  const onScroll = (event: React.UIEvent<HTMLDivElement>) => {
    const node = event.currentTarget;
    setTop(node.scrollTop);
    if (node.scrollTop + node.clientHeight > node.scrollHeight - 40) {
      void contents.loadMore();
    }
  };
  const items = contents.items;
  const first = Math.max(
    0,
    Math.floor(top / CONTENT_ROW_HEIGHT) - CONTENT_OVERSCAN
  );
  const last = Math.min(
    items.length,
    Math.ceil((top + height) / CONTENT_ROW_HEIGHT) + CONTENT_OVERSCAN
  );
  const shown: JSX.Element[] = [];
  for (let index = first; index < last; index++) {
    const child = items[index];
    const did = `${child.scope}:${child.name}`;
    shown.push(
      <li
        key={did}
        title={child.name}
        data-did={did}
        data-type={child.did_type}
        aria-posinset={index + 1}
        aria-setsize={contents.hasMore ? -1 : items.length}
      >
        <span className="jp-Rucio-row-name">{child.name}</span>
        <span className="jp-Rucio-row-meta">{humanSize(child.bytes)}</span>
      </li>
    );
  }
  return (
    <div className="jp-Rucio-contents">
      <div
        className="jp-Rucio-contents-view"
        ref={scroller}
        onScroll={onScroll}
      >
        <ul
          className="jp-Rucio-contents-list"
          aria-label={trans.__('Contents')}
          style={{
            paddingTop: first * CONTENT_ROW_HEIGHT,
            paddingBottom: (items.length - last) * CONTENT_ROW_HEIGHT
          }}
        >
          {shown}
          {contents.loaded &&
            contents.items.length === 0 &&
            !contents.error && (
              <li className="jp-Rucio-muted">{trans.__('No files')}</li>
            )}
        </ul>
      </div>
      {contents.loading && <span className="jp-Rucio-spinner" />}
      {contents.error && (
        <span className="jp-Rucio-error-text">{contents.error.message}</span>
      )}
      {contents.hasMore && !contents.loading && (
        <button className="jp-Rucio-link" onClick={() => contents.loadMore()}>
          {trans.__('Load more')}
        </button>
      )}
    </div>
  );
}
