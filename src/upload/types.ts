/**
 * Wire types of the upload routes (see jupyterlab_rucio/openapi.yaml: /rses, /uploads/*).
 */

export type FileState =
  | 'QUEUED'
  | 'UPLOADING'
  | 'VERIFYING'
  | 'REGISTERING'
  | 'DONE'
  | 'FAILED'
  | 'CANCELLED'
  | 'INTERRUPTED';

export type JobState =
  | 'QUEUED'
  | 'UPLOADING'
  | 'REGISTERING'
  | 'DONE'
  | 'FAILED'
  | 'CANCELLED'
  | 'INTERRUPTED';

/** States after which a job does nothing more until it is retried. */
export const FINAL_STATES: readonly JobState[] = [
  'DONE',
  'FAILED',
  'CANCELLED',
  'INTERRUPTED'
];

/** File states that a retry runs again. */
export const RETRYABLE_STATES: readonly FileState[] = [
  'FAILED',
  'CANCELLED',
  'INTERRUPTED'
];

export interface IUploadFile {
  path: string;
  did: string;
  bytes: number;
  bytes_done: number;
  state: FileState;
  message: string | null;
  existed: boolean;
}

export interface IUploadJob {
  id: string;
  state: JobState;
  rse: string;
  scope: string;
  dataset: string | null;
  lifetime_days: number | null;
  created_at: string;
  finished_at: string | null;
  message: string | null;
  bytes: number;
  bytes_done: number;
  /** Bytes per second over the last seconds; null when not copying. */
  speed: number | null;
  files: IUploadFile[];
}

/** An RSE the account may upload to; null quota = unlimited. */
export interface IUploadRse {
  name: string;
  quota_bytes: number | null;
  used_bytes: number | null;
  remaining_bytes: number | null;
}

/** A file of the selection, with its default DID name. */
export interface ISelectedFile {
  path: string;
  name: string;
  bytes: number;
}

export interface ISelection {
  files: ISelectedFile[];
  bytes: number;
}

export interface IExistingName {
  name: string;
  type: string;
  bytes: number | null;
}

/** The body of POST uploads. */
export interface IUploadRequest {
  files: { path: string; name: string }[];
  rse: string;
  scope: string;
  lifetime_days: number | null;
  dataset: string | null;
}
