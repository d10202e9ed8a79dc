import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';

import { formatTime, humanSize } from '../format';
import { useSignal } from '../useSignal';
import { UploadsModel } from './model';
import { jobPercent } from './notifications';
import {
  FileState,
  FINAL_STATES,
  IUploadFile,
  IUploadJob,
  JobState,
  RETRYABLE_STATES
} from './types';

/** How many files of a job are listed; the others are summed up. */
export const MAX_LISTED_FILES = 100;

export function stateLabel(
  state: JobState | FileState,
  trans: TranslationBundle
): string {
  const labels: Record<JobState | FileState, string> = {
    QUEUED: trans.__('queued'),
    UPLOADING: trans.__('uploading'),
    VERIFYING: trans.__('verifying'),
    REGISTERING: trans.__('registering'),
    DONE: trans.__('done'),
    FAILED: trans.__('failed'),
    CANCELLED: trans.__('cancelled'),
    INTERRUPTED: trans.__('interrupted')
  };
  return labels[state];
}

/** "3 min" style duration for the time left. */
export function formatDuration(
  seconds: number,
  trans: TranslationBundle
): string {
  if (seconds < 60) {
    return trans.__('%1 s', Math.max(1, Math.round(seconds)));
  }
  if (seconds < 3600) {
    return trans.__('%1 min', Math.round(seconds / 60));
  }
  return trans.__('%1 h', (seconds / 3600).toFixed(1));
}

function ProgressBar(props: {
  done: number;
  total: number;
  label: string;
}): JSX.Element {
  const percent =
    props.total > 0 ? Math.min(100, (100 * props.done) / props.total) : 100;
  return (
    <div
      className="jp-Rucio-progress"
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.floor(percent)}
    >
      <div className="jp-Rucio-progress-bar" style={{ width: `${percent}%` }} />
    </div>
  );
}

function FileRow(props: {
  file: IUploadFile;
  trans: TranslationBundle;
}): JSX.Element {
  const { file, trans } = props;
  return (
    <li className="jp-Rucio-upload-job-file" data-state={file.state}>
      <div className="jp-Rucio-upload-job-file-line">
        <span className="jp-Rucio-upload-job-file-did" title={file.path}>
          {file.did}
        </span>
        <span className="jp-Rucio-upload-state">
          {stateLabel(file.state, trans)}
        </span>
      </div>
      <ProgressBar
        done={file.bytes_done}
        total={file.bytes}
        label={trans.__('Progress of %1', file.did)}
      />
      <span className="jp-Rucio-upload-bytes">
        {trans.__(
          '%1 of %2',
          humanSize(file.bytes_done),
          humanSize(file.bytes)
        )}
      </span>
      {file.message && (
        <span className="jp-Rucio-upload-message">{file.message}</span>
      )}
    </li>
  );
}

export interface IJobViewProps {
  job: IUploadJob;
  trans: TranslationBundle;
  onCancel: (id: string) => void;
  onRetry: (id: string) => void;
  onRemove: (id: string) => void;
}

export function JobView(props: IJobViewProps): JSX.Element {
  const { job, trans } = props;
  const final = FINAL_STATES.includes(job.state);
  const retryable = job.files.some(f => RETRYABLE_STATES.includes(f.state));
  const left =
    !final && job.speed && job.speed > 0
      ? (job.bytes - job.bytes_done) / job.speed
      : null;
  // Files that need attention first, then the others in their order.
  const order = (f: IUploadFile) => (f.state === 'DONE' ? 1 : 0);
  const files = [...job.files].sort((a, b) => order(a) - order(b));
  const listed = files.slice(0, MAX_LISTED_FILES);
  return (
    <li
      className="jp-Rucio-upload-job"
      data-job={job.id}
      data-state={job.state}
    >
      <div className="jp-Rucio-upload-job-head">
        <span className="jp-Rucio-upload-state">
          {stateLabel(job.state, trans)}
        </span>
        <span className="jp-Rucio-upload-job-title">
          {trans._n(
            '%1 file to %2',
            '%1 files to %2',
            job.files.length,
            job.rse
          )}
          {job.dataset ? ` · ${job.dataset}` : ''}
        </span>
        <span className="jp-Rucio-upload-time">
          {formatTime(job.created_at)}
        </span>
      </div>
      <ProgressBar
        done={job.bytes_done}
        total={job.bytes}
        label={trans.__('Progress of the upload to %1', job.rse)}
      />
      <div className="jp-Rucio-upload-job-stats">
        <span>
          {trans.__(
            '%1 of %2 (%3%)',
            humanSize(job.bytes_done),
            humanSize(job.bytes),
            jobPercent(job)
          )}
        </span>
        {!final && job.speed !== null && (
          <span>{trans.__('%1/s', humanSize(job.speed))}</span>
        )}
        {left !== null && (
          <span>{trans.__('%1 left', formatDuration(left, trans))}</span>
        )}
      </div>
      {job.message && <p className="jp-Rucio-upload-message">{job.message}</p>}
      <div className="jp-Rucio-upload-job-actions">
        {!final && (
          <button
            className="jp-mod-styled"
            onClick={() => props.onCancel(job.id)}
          >
            {trans.__('Cancel')}
          </button>
        )}
        {final && retryable && (
          <button
            className="jp-mod-styled"
            onClick={() => props.onRetry(job.id)}
          >
            {trans.__('Retry')}
          </button>
        )}
        {final && (
          <button
            className="jp-mod-styled"
            onClick={() => props.onRemove(job.id)}
          >
            {trans.__('Remove')}
          </button>
        )}
      </div>
      <ul className="jp-Rucio-upload-job-files">
        {listed.map(file => (
          <FileRow key={file.path} file={file} trans={trans} />
        ))}
      </ul>
      {files.length > listed.length && (
        <p className="jp-Rucio-upload-note">
          {trans.__('and %1 more files', files.length - listed.length)}
        </p>
      )}
    </li>
  );
}

export interface IUploadsViewProps {
  model: UploadsModel;
  trans: TranslationBundle;
  onError: (summary: string, error: Error) => void;
}

/** The Uploads section: every job of the active instance, newest first. */
export function UploadsView(props: IUploadsViewProps): JSX.Element {
  const { model, trans, onError } = props;
  useSignal(model.changed);
  const act =
    (summary: string, action: (id: string) => Promise<void>) => (id: string) =>
      action(id).catch((error: Error) => onError(summary, error));
  if (model.jobs.length === 0) {
    return (
      <div className="jp-Rucio-uploads">
        {model.error ? (
          <p className="jp-Rucio-upload-message">{model.error}</p>
        ) : (
          <p className="jp-Rucio-uploads-empty">
            {trans.__(
              'No uploads yet. Right-click files or folders in the file browser and choose "Upload to Rucio".'
            )}
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="jp-Rucio-uploads">
      <ul className="jp-Rucio-upload-jobs" aria-label={trans.__('Uploads')}>
        {model.jobs.map(job => (
          <JobView
            key={job.id}
            job={job}
            trans={trans}
            onCancel={act(trans.__('Could not cancel the upload'), id =>
              model.cancel(id)
            )}
            onRetry={act(trans.__('Could not retry the upload'), id =>
              model.retry(id)
            )}
            onRemove={act(trans.__('Could not remove the upload'), id =>
              model.remove(id)
            )}
          />
        ))}
      </ul>
    </div>
  );
}
