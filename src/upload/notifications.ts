import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { FINAL_STATES, IUploadJob } from './types';

/** Percent of a job's bytes that are done (0-100, whole numbers). */
export function jobPercent(job: IUploadJob): number {
  if (job.bytes <= 0) {
    return job.state === 'DONE' ? 100 : 0;
  }
  return Math.floor((100 * job.bytes_done) / job.bytes);
}

/**
 * One JupyterLab Notification per running job, from in-progress to success or error, each
 * with an action that opens the Uploads section.
 */
export class JobNotifications {
  constructor(
    private _trans: TranslationBundle,
    private _openUploads: () => void
  ) {}

  /** Follow the jobs as the server lists them now. */
  follow(jobs: readonly IUploadJob[]): void {
    for (const job of jobs) {
      const tracked = this._ids.get(job.id);
      const final = FINAL_STATES.includes(job.state);
      if (!tracked && !final) {
        const id = Notification.emit(this._message(job), 'in-progress', {
          autoClose: false,
          actions: [this._action()]
        });
        this._ids.set(job.id, { id, percent: jobPercent(job) });
      } else if (tracked && final) {
        Notification.update({
          id: tracked.id,
          message: this._message(job),
          type: job.state === 'DONE' ? 'success' : 'error',
          autoClose: job.state === 'DONE' ? 5000 : false,
          actions: [this._action()]
        });
        this._ids.delete(job.id);
      } else if (tracked && jobPercent(job) >= tracked.percent + 5) {
        tracked.percent = jobPercent(job);
        Notification.update({
          id: tracked.id,
          message: this._message(job),
          type: 'in-progress',
          autoClose: false,
          actions: [this._action()]
        });
      }
    }
  }

  private _message(job: IUploadJob): string {
    const trans = this._trans;
    const files = job.files.length;
    switch (job.state) {
      case 'DONE':
        return trans._n(
          'Uploaded %1 file to %2.',
          'Uploaded %1 files to %2.',
          files,
          job.rse
        );
      case 'FAILED':
        return trans.__('Upload to %1 failed: %2', job.rse, job.message ?? '');
      case 'CANCELLED':
        return trans.__('Upload to %1 cancelled.', job.rse);
      case 'INTERRUPTED':
        return trans.__('Upload to %1 was interrupted.', job.rse);
      default:
        return trans._n(
          'Uploading %1 file to %2: %3%',
          'Uploading %1 files to %2: %3%',
          files,
          job.rse,
          jobPercent(job)
        );
    }
  }

  private _action(): Notification.IAction {
    return {
      label: this._trans.__('Show uploads'),
      caption: this._trans.__('Open the Uploads section of the Rucio sidebar'),
      callback: () => this._openUploads()
    };
  }

  private _ids = new Map<string, { id: string; percent: number }>();
}
