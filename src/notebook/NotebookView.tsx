import { TranslationBundle } from '@jupyterlab/translation';
import {
  addIcon,
  closeIcon,
  editIcon,
  LabIcon,
  refreshIcon
} from '@jupyterlab/ui-components';
import React from 'react';

import { AvailabilityView } from '../explore/AvailabilityView';
import { formatCount } from '../format';
import { useSignal } from '../useSignal';
import { AttachmentController } from './controller';
import { languageLabel } from './names';
import { AttachmentStatus, IAttachment, IAttachmentState } from './tokens';

/** What the user can do with attachments; the plugin carries them out. */
export interface IAttachmentActions {
  makeAvailable(variable: string): void;
  /** Defines the variables again (all when none is named). */
  inject(variable?: string): void;
  rename(variable: string): void;
  remove(variable: string): void;
  /** Writes the attachments into a cell below the active one (all when none is named). */
  insertCell(variable?: string): void;
}

export interface INotebookViewProps {
  /** The active notebook's attachments; null when no notebook is open. */
  controller: AttachmentController | null;
  notebookName: string;
  actions: IAttachmentActions;
  trans: TranslationBundle;
}

/** The label a user reads for an attachment's status. */
export function statusLabel(
  status: AttachmentStatus,
  trans: TranslationBundle
): string {
  switch (status) {
    case 'waiting':
      return trans.__('Waiting for a kernel');
    case 'resolving':
      return trans.__('Resolving…');
    case 'ready':
      return trans.__('Ready');
    case 'not-available':
      return trans.__('Not available');
    case 'error':
      return trans.__('Error');
    case 'other-instance':
      return trans.__('Other Rucio instance');
    case 'unsupported':
      return trans.__('Not supported by this kernel');
  }
}

/** The Notebook section: the active notebook's attachments, their state and actions. */
export function NotebookView(props: INotebookViewProps): JSX.Element {
  const { controller, trans } = props;
  if (!controller) {
    return (
      <div className="jp-Rucio-notice">
        {trans.__('Open a notebook to attach Rucio DIDs to it.')}
      </div>
    );
  }
  return <Attachments {...props} controller={controller} />;
}

function Attachments(
  props: INotebookViewProps & { controller: AttachmentController }
): JSX.Element {
  const { controller, actions, trans } = props;
  useSignal(controller.changed);
  const attachments = controller.attachments;
  const language = controller.language;
  return (
    <div className="jp-Rucio-notebook">
      <div className="jp-Rucio-notebook-header">
        <span className="jp-Rucio-notebook-name" title={props.notebookName}>
          {props.notebookName}
        </span>
        {language && (
          <span className="jp-Rucio-muted">{languageLabel(language)}</span>
        )}
        {attachments.length > 0 && (
          <span className="jp-Rucio-notebook-header-actions">
            <IconButton
              icon={refreshIcon}
              label={trans.__('Define all again in the kernel')}
              onClick={() => actions.inject()}
            />
            <IconButton
              icon={addIcon}
              label={trans.__('Insert all as a code cell')}
              onClick={() => actions.insertCell()}
            />
          </span>
        )}
      </div>
      {attachments.length === 0 ? (
        <div className="jp-Rucio-notice">
          {trans.__(
            'No DIDs are attached to this notebook. Use "Add to notebook" on a DID in Explore.'
          )}
        </div>
      ) : (
        <ul
          className="jp-Rucio-attachments"
          aria-label={trans.__('Attachments')}
        >
          {attachments.map(attachment => (
            <AttachmentRow
              key={attachment.variable}
              attachment={attachment}
              state={controller.state(attachment.variable)}
              actions={actions}
              trans={trans}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function AttachmentRow(props: {
  attachment: IAttachment;
  state: IAttachmentState;
  actions: IAttachmentActions;
  trans: TranslationBundle;
}): JSX.Element {
  const { attachment, state, actions, trans } = props;
  const { variable } = attachment;
  return (
    <li
      className="jp-Rucio-attachment"
      data-variable={variable}
      data-did={attachment.did}
      data-status={state.status}
    >
      <div className="jp-Rucio-attachment-line">
        <code className="jp-Rucio-attachment-variable">{variable}</code>
        <span className="jp-Rucio-attachment-did" title={attachment.did}>
          {attachment.did}
        </span>
      </div>
      <AttachmentStateView state={state} trans={trans}>
        {state.status === 'not-available' && (
          <AvailabilityView
            entry={{
              availability: state.availability,
              loading: false,
              error: null,
              requesting: state.requesting
            }}
            trans={trans}
            onMakeAvailable={() => actions.makeAvailable(variable)}
            onRetry={() => actions.inject(variable)}
          />
        )}
      </AttachmentStateView>
      <div className="jp-Rucio-attachment-actions">
        <IconButton
          icon={refreshIcon}
          label={trans.__('Define again in the kernel')}
          onClick={() => actions.inject(variable)}
        />
        <IconButton
          icon={editIcon}
          label={trans.__('Rename')}
          onClick={() => actions.rename(variable)}
        />
        <IconButton
          icon={addIcon}
          label={trans.__('Insert as code cell')}
          onClick={() => actions.insertCell(variable)}
        />
        <IconButton
          icon={closeIcon}
          label={trans.__('Remove')}
          onClick={() => actions.remove(variable)}
        />
      </div>
    </li>
  );
}

function AttachmentStateView(props: {
  state: IAttachmentState;
  trans: TranslationBundle;
  children?: React.ReactNode;
}): JSX.Element {
  const { state, trans } = props;
  if (state.status === 'not-available') {
    return (
      <div className="jp-Rucio-attachment-state">
        <span className="jp-Rucio-muted">
          {trans.__('Not defined until it is available at the hub.')}
        </span>
        {props.children}
      </div>
    );
  }
  const showReason =
    state.message &&
    (state.status === 'error' ||
      state.status === 'other-instance' ||
      state.status === 'unsupported');
  return (
    <div className="jp-Rucio-attachment-state">
      <span
        className={`jp-Rucio-state jp-Rucio-attachment-status-${state.status}`}
      >
        {state.status === 'resolving' && <span className="jp-Rucio-spinner" />}
        {statusLabel(state.status, trans)}
      </span>
      {state.status === 'ready' && state.count !== null && (
        <span className="jp-Rucio-muted">
          {trans._n(
            '%2 file',
            '%2 files',
            state.count,
            formatCount(state.count)
          )}
        </span>
      )}
      {showReason && (
        <details className="jp-Rucio-reason" open>
          <summary>{trans.__('Reason')}</summary>
          {state.message}
        </details>
      )}
    </div>
  );
}

function IconButton(props: {
  icon: LabIcon;
  label: string;
  onClick: () => void;
}): JSX.Element {
  return (
    <button
      className="jp-Rucio-icon-button"
      aria-label={props.label}
      title={props.label}
      onClick={props.onClick}
    >
      <props.icon.react tag="span" />
    </button>
  );
}
