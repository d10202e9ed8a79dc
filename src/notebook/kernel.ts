import { ISessionContext } from '@jupyterlab/apputils';
import { Kernel, KernelMessage } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { IKernelLink } from './tokens';

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
  constructor(private _session: ISessionContext) {
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
      throw new Error('The notebook has no kernel');
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
      throw new Error(`The kernel answered ${content.status}`);
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
