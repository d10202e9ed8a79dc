import { UploadApi } from '../upload/api';
import {
  IExistingName,
  ISelection,
  IUploadFile,
  IUploadJob,
  IUploadRequest,
  IUploadRse
} from '../upload/types';

/** The upload routes answered from memory, recording what was asked. */
export class FakeUploadApi extends UploadApi {
  constructor() {
    const unused = () => Promise.reject(new Error('not used by these tests'));
    super({ get: unused, send: unused, searchDids: unused });
  }
  rseList: IUploadRse[] = [
    {
      name: 'HUB_USERDISK',
      quota_bytes: null,
      used_bytes: 0,
      remaining_bytes: null
    },
    {
      name: 'QUOTA_USERDISK',
      quota_bytes: 1000,
      used_bytes: 0,
      remaining_bytes: 1000
    }
  ];
  existingNames: IExistingName[] = [];
  datasetNames: string[] = ['old.dataset'];
  jobList: IUploadJob[] = [];
  started: IUploadRequest[] = [];
  calls: string[] = [];

  async rses(): Promise<IUploadRse[]> {
    return this.rseList;
  }
  async scopes(): Promise<string[]> {
    return ['physics', 'user.jdoe'];
  }
  async existing(scope: string, names: string[]): Promise<IExistingName[]> {
    this.calls.push(`existing ${scope} ${names.join(',')}`);
    return this.existingNames.filter(e => names.includes(e.name));
  }
  async datasets(): Promise<string[]> {
    return this.datasetNames;
  }
  async jobs(): Promise<IUploadJob[]> {
    return this.jobList;
  }
  async start(request: IUploadRequest): Promise<IUploadJob> {
    this.started.push(request);
    return job('QUEUED');
  }
  async cancel(id: string): Promise<IUploadJob> {
    this.calls.push(`cancel ${id}`);
    return job('CANCELLED');
  }
  async retry(id: string): Promise<IUploadJob> {
    this.calls.push(`retry ${id}`);
    return job('QUEUED');
  }
  async remove(id: string): Promise<void> {
    this.calls.push(`remove ${id}`);
  }
}

export function selection(...sizes: number[]): ISelection {
  const files = sizes.map((bytes, i) => ({
    path: `data/f${i}.dat`,
    name: `f${i}.dat`,
    bytes
  }));
  return { files, bytes: sizes.reduce((a, b) => a + b, 0) };
}

export function file(
  state: IUploadFile['state'],
  change: Partial<IUploadFile> = {}
): IUploadFile {
  return {
    path: 'data/f0.dat',
    did: 'user.jdoe:f0.dat',
    bytes: 1000,
    bytes_done: state === 'DONE' ? 1000 : 0,
    state,
    message: null,
    existed: false,
    ...change
  };
}

export function job(
  state: IUploadJob['state'],
  change: Partial<IUploadJob> = {}
): IUploadJob {
  const files = change.files ?? [file(state === 'DONE' ? 'DONE' : 'QUEUED')];
  return {
    id: 'job1',
    state,
    rse: 'HUB_USERDISK',
    scope: 'user.jdoe',
    dataset: null,
    lifetime_days: null,
    created_at: '2026-01-01T00:00:00+00:00',
    finished_at: null,
    message: null,
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    bytes_done: files.reduce((a, f) => a + f.bytes_done, 0),
    speed: null,
    files,
    ...change
  };
}
