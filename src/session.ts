import { TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';

import { AuthModel } from './auth/model';
import { notifyError } from './notify';
import {
  DidType,
  IDidCommandArgs,
  IRucioApi,
  IRucioSession,
  IRucioSidebar
} from './tokens';

/** Finds the node the open context menu was invoked on (JupyterLab's hit test). */
export type ContextMenuHitTest = (
  test: (node: HTMLElement) => boolean
) => HTMLElement | undefined;

const DID_TYPES: DidType[] = ['FILE', 'DATASET', 'CONTAINER'];

/** The Rucio session shared by the feature plugins through the `IRucioSession` token. */
export class RucioSession implements IRucioSession {
  constructor(
    readonly api: IRucioApi,
    readonly auth: AuthModel,
    readonly sidebar: IRucioSidebar,
    readonly trans: TranslationBundle,
    private _hitTest: ContextMenuHitTest = () => undefined
  ) {
    auth.changed.connect(this._followInstance, this);
  }

  get instanceChanged(): ISignal<this, string | null> {
    return this._instanceChanged;
  }

  get didCommands(): readonly string[] {
    return this._didCommands.map(entry => entry.command);
  }

  get didCommandsChanged(): ISignal<this, void> {
    return this._didCommandsChanged;
  }

  addDidCommand(command: string, rank: number): void {
    this._didCommands = this._didCommands
      .filter(entry => entry.command !== command)
      .concat([{ command, rank }])
      .sort((a, b) => a.rank - b.rank);
    this._didCommandsChanged.emit();
  }

  didArgs(args: { [key: string]: unknown }): IDidCommandArgs | null {
    if (typeof args.did === 'string' && args.did) {
      const type = DID_TYPES.find(t => t === args.type);
      return { did: args.did, type };
    }
    const node = this._hitTest(n => !!n.dataset?.did);
    const did = node?.dataset.did;
    if (!did) {
      return null;
    }
    return { did, type: DID_TYPES.find(t => t === node.dataset.type) };
  }

  notifyError(summary: string, error: Error): string {
    return notifyError(this.trans, summary, error);
  }

  private _followInstance(): void {
    const name = this.auth.activeName;
    if (name !== this._instance) {
      this._instance = name;
      this._instanceChanged.emit(name);
    }
  }

  private _instance: string | null = null;
  private _didCommands: { command: string; rank: number }[] = [];
  private _instanceChanged = new Signal<this, string | null>(this);
  private _didCommandsChanged = new Signal<this, void>(this);
}
