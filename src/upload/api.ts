import { IRucioApi } from '../tokens';
import {
  IExistingName,
  ISelection,
  IUploadJob,
  IUploadRequest,
  IUploadRse
} from './types';

/** What the upload routes need of the Rucio API client. */
export type IUploadTransport = Pick<IRucioApi, 'get' | 'send' | 'searchDids'>;

/** The upload routes of the server extension, for one (or the active) instance. */
export class UploadApi {
  constructor(private _api: IUploadTransport) {}

  instance: string | undefined = undefined;

  async rses(): Promise<IUploadRse[]> {
    const reply = await this._api.get<{ rses: IUploadRse[] }>(
      'rses',
      this._params()
    );
    return reply.rses;
  }

  async scopes(): Promise<string[]> {
    const reply = await this._api.get<{ scopes: string[] }>(
      'uploads/scopes',
      this._params()
    );
    return reply.scopes;
  }

  selection(paths: string[]): Promise<ISelection> {
    return this._api.send(
      'post',
      'uploads/selection',
      { paths },
      this._params()
    );
  }

  async existing(scope: string, names: string[]): Promise<IExistingName[]> {
    const reply = await this._api.send<{ existing: IExistingName[] }>(
      'post',
      'uploads/names',
      { scope, names },
      this._params()
    );
    return reply.existing;
  }

  async datasets(scope: string, text: string): Promise<string[]> {
    const pattern = `${scope}:*${text.replace(/[^A-Za-z0-9._\-/]/g, '')}*`;
    const page = await this._api.searchDids(
      pattern,
      'dataset',
      { limit: 20 },
      this.instance
    );
    return page.items.map(item => item.name);
  }

  start(request: IUploadRequest): Promise<IUploadJob> {
    return this._api.send('post', 'uploads', request, this._params());
  }

  async jobs(): Promise<IUploadJob[]> {
    const reply = await this._api.get<{ jobs: IUploadJob[] }>(
      'uploads',
      this._params()
    );
    return reply.jobs;
  }

  cancel(id: string): Promise<IUploadJob> {
    return this._api.send('post', `uploads/${id}/cancel`, {}, this._params());
  }

  retry(id: string): Promise<IUploadJob> {
    return this._api.send('post', `uploads/${id}/retry`, {}, this._params());
  }

  async remove(id: string): Promise<void> {
    await this._api.send('delete', `uploads/${id}`, undefined, this._params());
  }

  private _params(): { instance: string | undefined } {
    return { instance: this.instance };
  }
}
