import { ISessionContext } from '@jupyterlab/apputils';
import { Kernel, KernelMessage } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';

import { IRucioApi } from '../tokens';
import { notebookCode } from './api';
import { IAttachment, IKernelLink, NotebookWire } from './tokens';

/** Statuses after which the kernel has lost its variables. */
const FRESH_STATUSES: Kernel.Status[] = [
  'starting',
  'restarting',
  'autorestarting'
];

/**
 * The kernel of a notebook's session: announces every kernel that is ready and has none of
 * the variables yet (a new kernel, a restart, a change of kernel), and runs code silently.
 */
export class SessionKernelLink implements IKernelLink {
  constructor(
    private _session: ISessionContext,
    private _trans: TranslationBundle
  ) {
    _session.kernelChanged.connect(this._onKernelChanged, this);
    _session.statusChanged.connect(this._onStatus, this);
    const kernel = _session.session?.kernel;
    if (kernel) {
      this._watch(kernel);
    }
  }

  get kernelReady(): ISignal<this, void> {
    return this._kernelReady;
  }

  get hasKernel(): boolean {
    return !!this._session.session?.kernel;
  }

  async language(): Promise<string | null> {
    const kernel = this._session.session?.kernel;
    if (!kernel) {
      return null;
    }
    const info = await kernel.info;
    const name = info?.language_info?.name;
    if (name) {
      return name;
    }
    const spec = await kernel.spec;
    return spec?.language ?? null;
  }

  async execute(code: string): Promise<void> {
    const kernel = this._session.session?.kernel;
    if (!kernel) {
      throw new Error(this._trans.__('The notebook has no kernel.'));
    }
    const future = kernel.requestExecute({
      code,
      silent: true,
      store_history: false,
      allow_stdin: false,
      stop_on_error: false
    });
    const reply = (await future.done) as KernelMessage.IExecuteReplyMsg;
    const content = reply.content;
    if (content.status === 'error') {
      throw new Error(`${content.ename}: ${content.evalue}`);
    }
    if (content.status !== 'ok') {
      throw new Error(
        this._trans.__('The kernel answered %1.', content.status)
      );
    }
  }

  dispose(): void {
    Signal.clearData(this);
  }

  private _onKernelChanged(
    _: ISessionContext,
    change: { newValue: Kernel.IKernelConnection | null }
  ): void {
    if (change.newValue) {
      this._watch(change.newValue);
    }
  }

  /** A kernel we have not defined anything in yet: announce it once it answers. */
  private _watch(kernel: Kernel.IKernelConnection): void {
    this._fresh = true;
    void kernel.info.then(
      () => this._announce(),
      () => undefined
    );
  }

  private _onStatus(_: ISessionContext, status: Kernel.Status): void {
    if (FRESH_STATUSES.includes(status)) {
      this._fresh = true;
    } else if (status === 'idle') {
      this._announce();
    }
  }

  private _announce(): void {
    const kernel = this._session.session?.kernel;
    if (this._fresh && kernel && kernel.status === 'idle') {
      this._fresh = false;
      this._kernelReady.emit();
    }
  }

  private _fresh = false;
  private _kernelReady = new Signal<this, void>(this);
}

/** The server's results for a group of attachments and, if running their code failed, why. */
export interface IDefined {
  reply: NotebookWire.ICodeReply;
  failure: string | null;
}

/**
 * Asks the server for the code defining the attachments in `language` and runs it in the
 * kernel. Throws what the server answered if it gave no code.
 */
export async function defineAttachments(
  api: IRucioApi,
  kernel: IKernelLink,
  language: string,
  instance: string,
  group: readonly IAttachment[]
): Promise<IDefined> {
  const reply = await notebookCode(
    api,
    language,
    group.map(a => ({ variable: a.variable, did: a.did })),
    instance
  );
  if (!reply.code) {
    return { reply, failure: null };
  }
  try {
    await kernel.execute(reply.code);
    return { reply, failure: null };
  } catch (reason) {
    const failure = reason instanceof Error ? reason.message : String(reason);
    return { reply, failure };
  }
}
