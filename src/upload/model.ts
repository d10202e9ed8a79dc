import { ISignal, Signal } from '@lumino/signaling';

import { UploadApi } from './api';
import { JobNotifications } from './notifications';
import { FINAL_STATES, IUploadJob, IUploadRequest } from './types';

/** How often the jobs are read while one of them runs. */
export const POLL_MS = 1000;

/** The upload jobs of the active instance, as the server keeps them (they survive reloads). */
export class UploadsModel {
  constructor(
    readonly api: UploadApi,
    private _notifications: JobNotifications | null = null
  ) {}

  get jobs(): readonly IUploadJob[] {
    return this._jobs;
  }

  get error(): string | null {
    return this._error;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** True while a job is queued or copying. */
  get active(): boolean {
    return this._jobs.some(job => !FINAL_STATES.includes(job.state));
  }

  set instance(name: string | undefined) {
    if (name === this.api.instance && this._loaded) {
      return;
    }
    this.api.instance = name;
    this._jobs = [];
    this._changed.emit();
    void this.refresh();
  }

  async refresh(): Promise<void> {
    this._stopPolling();
    const call = ++this._calls;
    try {
      const jobs = await this.api.jobs();
      if (call !== this._calls) {
        return; // a newer refresh is under way
      }
      this._jobs = jobs;
      this._error = null;
      this._loaded = true;
      this._notifications?.follow(this._jobs);
    } catch (error) {
      this._error = (error as Error).message;
    }
    this._changed.emit();
    if (this.active && !this._disposed) {
      this._timer = setTimeout(() => void this.refresh(), POLL_MS);
    }
  }

  async start(request: IUploadRequest): Promise<IUploadJob> {
    const job = await this.api.start(request);
    this._jobs = [job, ...this._jobs.filter(j => j.id !== job.id)];
    this._notifications?.follow(this._jobs);
    this._changed.emit();
    await this.refresh();
    return job;
  }

  async cancel(id: string): Promise<void> {
    await this.api.cancel(id);
    await this.refresh();
  }

  async retry(id: string): Promise<void> {
    await this.api.retry(id);
    await this.refresh();
  }

  async remove(id: string): Promise<void> {
    await this.api.remove(id);
    await this.refresh();
  }

  dispose(): void {
    this._disposed = true;
    this._stopPolling();
  }

  private _stopPolling(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _jobs: IUploadJob[] = [];
  private _error: string | null = null;
  private _loaded = false;
  private _calls = 0;
  private _disposed = false;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _changed = new Signal<this, void>(this);
}
