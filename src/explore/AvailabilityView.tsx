import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';

import { formatCount, humanSize } from '../format';
import { AvailabilityState, Rucio } from '../tokens';
import { ACTIONABLE_STATES, IAvailabilityEntry } from './availability';
import { HubLocation, KeepingRule } from './where';

export interface IAvailabilityViewProps {
  entry: IAvailabilityEntry | undefined;
  trans: TranslationBundle;
  onMakeAvailable: () => void;
  onRetry: () => void;
}

/** The label a user reads for each state. */
export function stateLabel(
  state: AvailabilityState,
  trans: TranslationBundle
): string {
  switch (state) {
    case 'AVAILABLE':
      return trans.__('Available');
    case 'NOT_AVAILABLE':
      return trans.__('Not available');
    case 'REPLICATING':
      return trans.__('Replicating');
    case 'STUCK':
      return trans.__('Stuck');
    case 'PARTIALLY_AVAILABLE':
      return trans.__('Partially available');
    case 'EMPTY':
      return trans.__('Collection is empty');
    case 'ERROR':
      return trans.__('Something went wrong');
  }
}

function FileProgress(props: {
  availability: Rucio.IAvailability;
  trans: TranslationBundle;
}): JSX.Element {
  const { files_available, files_total } = props.availability;
  const text = props.trans.__(
    '%1 of %2 files',
    formatCount(files_available),
    formatCount(files_total)
  );
  return (
    <div className="jp-Rucio-progress">
      <progress
        className="jp-Rucio-progress-bar"
        max={Math.max(files_total, 1)}
        value={files_available}
        aria-label={text}
      />
      <span className="jp-Rucio-progress-text">{text}</span>
    </div>
  );
}

/** Availability of one DID at the hub, with "Make available" where it applies. */
export function AvailabilityView(props: IAvailabilityViewProps): JSX.Element {
  const { entry, trans } = props;
  const availability = entry?.availability;
  if (!availability) {
    if (entry?.error) {
      return (
        <div className="jp-Rucio-availability" data-state="ERROR">
          <span className="jp-Rucio-state jp-Rucio-state-ERROR">
            {trans.__('Something went wrong')}
          </span>
          <details className="jp-Rucio-reason">
            <summary>{trans.__('Reason')}</summary>
            {entry.error.message}
          </details>
          <button
            className="jp-mod-styled jp-Rucio-link"
            onClick={props.onRetry}
          >
            {trans.__('Try again')}
          </button>
        </div>
      );
    }
    return (
      <div className="jp-Rucio-availability" aria-busy="true">
        <span className="jp-Rucio-spinner" />
        {trans.__('Checking availability…')}
      </div>
    );
  }
  const { state } = availability;
  const showCounts =
    state === 'REPLICATING' ||
    state === 'PARTIALLY_AVAILABLE' ||
    state === 'STUCK';
  const webui = availability.webui_url;
  return (
    <div className="jp-Rucio-availability" data-state={state}>
      <div className="jp-Rucio-availability-line">
        <span className={`jp-Rucio-state jp-Rucio-state-${state}`}>
          {stateLabel(state, trans)}
        </span>
        {availability.bytes_total > 0 && (
          <span className="jp-Rucio-muted">
            {humanSize(availability.bytes_total)}
          </span>
        )}
        {entry?.loading && <span className="jp-Rucio-spinner" />}
      </div>
      {showCounts && <FileProgress availability={availability} trans={trans} />}
      <HubLocation availability={availability} trans={trans} />
      {availability.rule && (
        <KeepingRule rule={availability.rule} trans={trans} />
      )}
      {availability.message && (
        <details className="jp-Rucio-reason" open={state === 'ERROR'}>
          <summary>{trans.__('Reason')}</summary>
          {availability.message}
        </details>
      )}
      <div className="jp-Rucio-actions">
        {ACTIONABLE_STATES.includes(state) && (
          <button
            className="jp-mod-styled jp-mod-accept jp-Rucio-make-available"
            disabled={entry?.requesting}
            onClick={props.onMakeAvailable}
          >
            {trans.__('Make available')}
          </button>
        )}
        {webui && (
          <a
            className="jp-Rucio-link"
            href={webui}
            target="_blank"
            rel="noopener noreferrer"
          >
            {trans.__('Open in Rucio WebUI')}
          </a>
        )}
      </div>
    </div>
  );
}
