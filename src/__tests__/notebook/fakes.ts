import { Signal } from '@lumino/signaling';

import {
  IKernelLink,
  IMetadataHost,
  NotebookWire
} from '../../notebook/tokens';
import {
  ConnectionStatus,
  IRequestParams,
  IRucioAuth,
  Rucio
} from '../../tokens';
import { availability, FakeApi, instance } from '../fakeApi';

export { instance };

export const RUCIO_URL = 'http://127.0.0.1:18080';

/** Notebook metadata in memory, as INotebookModel keeps it. */
export class FakeNotebookModel implements IMetadataHost {
  readonly metadataChanged = new Signal<this, unknown>(this);
  readonly metadata = new Map<string, unknown>();

  getMetadata(key: string): unknown {
    return this.metadata.get(key);
  }
  setMetadata(key: string, value: unknown): void {
    this.metadata.set(key, JSON.parse(JSON.stringify(value)));
    this.metadataChanged.emit(key);
  }
  deleteMetadata(key: string): void {
    this.metadata.delete(key);
    this.metadataChanged.emit(key);
  }
}

/** A kernel that records what it was asked to run. */
export class FakeKernel implements IKernelLink {
  readonly kernelReady = new Signal<this, void>(this);
  hasKernel = true;
  languageName: string | null = 'python';
  executed: string[] = [];
  failWith: string | null = null;

  async language(): Promise<string | null> {
    return this.hasKernel ? this.languageName : null;
  }
  async execute(code: string): Promise<void> {
    this.executed.push(code);
    if (this.failWith) {
      throw new Error(this.failWith);
    }
  }
}

/**
 * The server's notebook routes in memory: DIDs in `available` resolve to two paths (one
 * for names ending in .txt, a file), the others are not available until made available
 * and `finishTransfers()` is called.
 */
export class NotebookFakeApi extends FakeApi {
  available = new Set<string>();
  replicating = new Set<string>();
  codeCalls: { language: string; instance: string; variables: string[] }[] = [];
  makeAvailableCalls: string[] = [];

  finishTransfers(): void {
    this.replicating.forEach(did => this.available.add(did));
    this.replicating.clear();
  }

  paths(did: string): string[] {
    const name = did.split(':')[1];
    return name.endsWith('.txt')
      ? [`/hub/${name}`]
      : [`/hub/${name}/a.dat`, `/hub/${name}/b.dat`];
  }

  async get<T>(path: string): Promise<T> {
    throw new Error(`GET ${path} is not faked`);
  }

  async send<T>(
    method: string,
    path: string,
    body?: unknown,
    params?: IRequestParams
  ): Promise<T> {
    if (path === 'notebook/code') {
      const request = body as {
        language: string;
        instance: string;
        attachments: { variable: string; did: string }[];
      };
      this.codeCalls.push({
        language: request.language,
        instance: request.instance,
        variables: request.attachments.map(a => a.variable)
      });
      const results: NotebookWire.IAttachmentResult[] = [];
      const lines: string[] = [];
      for (const { variable, did } of request.attachments) {
        const ok = this.available.has(did);
        results.push({
          variable,
          did,
          status: ok ? 'OK' : 'NOT_AVAILABLE',
          message: ok ? null : '0 of 2 files are at HUB_USERDISK',
          count: ok ? this.paths(did).length : 0
        });
        if (ok) {
          lines.push(`${variable} = ${JSON.stringify(this.paths(did))}\n`);
        }
      }
      const reply: NotebookWire.ICodeReply = {
        language: request.language.toLowerCase(),
        results,
        code: lines.join('')
      };
      return reply as T;
    }
    if (path === 'resolve') {
      const dids = (body as { dids: string[] }).dids;
      void params;
      return {
        results: dids.map(did => ({
          did,
          status: this.available.has(did) ? 'OK' : 'NOT_AVAILABLE',
          paths: this.available.has(did) ? this.paths(did) : [],
          message: null
        }))
      } as T;
    }
    throw new Error(`${method} ${path} is not faked`);
  }

  async availability(did: string): Promise<Rucio.IAvailability> {
    this.availabilityCalls += 1;
    const state = this.available.has(did)
      ? 'AVAILABLE'
      : this.replicating.has(did)
        ? 'REPLICATING'
        : 'NOT_AVAILABLE';
    return availability(state, { did, files_total: 2 });
  }

  async makeAvailable(did: string): Promise<Rucio.IMakeAvailableResult> {
    this.makeAvailableCalls.push(did);
    this.replicating.add(did);
    return { ...(await this.availability(did)), created: true };
  }
}

/** The sign-in state the controller reads, changeable by the tests. */
export interface IFakeAuth {
  instances: Rucio.IInstance[];
  activeName: string | null;
  active: Rucio.IInstance | null;
  status: ConnectionStatus;
  changed: Signal<IRucioAuth, void>;
  markUnauthorized: jest.Mock;
}

export function fakeAuth(): IFakeAuth {
  const local = instance('local');
  return {
    instances: [local],
    activeName: 'local',
    active: local,
    status: 'connected',
    changed: new Signal<IRucioAuth, void>({} as IRucioAuth),
    markUnauthorized: jest.fn()
  };
}
