import { TranslationBundle } from '@jupyterlab/translation';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { toApiError } from '../api';
import { IRucioApi, Rucio, RucioApiError } from '../tokens';
import { cellContent, ICellContent } from './cells';
import { defineAttachments, IDefined } from './kernel';
import { IAttachmentAuth, instanceOf, instanceProblem } from './instances';
import { NotebookAttachmentList } from './metadata';
import { checkVariableName, kernelLanguage, KernelLanguage } from './names';
import {
  EMPTY_STATE,
  notDefinedMessage,
  resolvedStatus,
  unsupportedMessage
} from './states';
import { IAttachment, IAttachmentState, IKernelLink } from './tokens';

/** What a notice tells the user about: variables left undefined, an unsupported kernel. */
export type NoticeKind = 'not-defined' | 'unsupported';

export interface IControllerOptions {
  list: NotebookAttachmentList;
  kernel: IKernelLink;
  api: IRucioApi;
  auth: IAttachmentAuth;
  trans: TranslationBundle;
  /** Seconds between availability checks of attachments that are not available yet. */
  pollSeconds?: number;
  onNotice?: (kind: NoticeKind, message: string) => void;
}

/**
 * The attachments of one notebook and their state in its kernel. Variables are defined by
 * one silent execution of server-generated code whenever a kernel is ready (start, restart,
 * change) and when an attachment is added; an attachment whose DID is not available is left
 * undefined and its availability is polled until it is, then it is defined.
 */
export class AttachmentController {
  constructor(private _options: IControllerOptions) {
    const { list, kernel, auth } = _options;
    list.changed.connect(this._onListChanged, this);
    kernel.kernelReady.connect(() => void this.inject(undefined, true), this);
    auth.changed.connect(this._onAuthChanged, this);
    this._poll = new Poll({
      auto: true,
      factory: () => this._checkPending(),
      frequency: {
        interval: (_options.pollSeconds ?? 5) * 1000,
        backoff: true,
        max: 60000
      },
      name: 'jupyterlab-rucio:notebook-attachments',
      standby: () =>
        !this._active ||
        !this._hasPending() ||
        (typeof document !== 'undefined' && document.hidden)
    });
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get list(): NotebookAttachmentList {
    return this._options.list;
  }

  get attachments(): readonly IAttachment[] {
    return this._options.list.attachments;
  }

  /** The supported language of the kernel, null if another one, undefined if not known yet. */
  get language(): KernelLanguage | null | undefined {
    return this._language;
  }

  get readyCount(): number {
    return this.attachments.filter(
      a => this.state(a.variable).status === 'ready'
    ).length;
  }

  /** Whether this notebook is the one on screen: only then are pending DIDs polled. */
  set active(active: boolean) {
    this._active = active;
    if (active && this._hasPending()) {
      void this._poll.refresh();
    }
  }

  set pollSeconds(seconds: number) {
    this._poll.frequency = {
      ...this._poll.frequency,
      interval: seconds * 1000
    };
  }

  state(variable: string): IAttachmentState {
    return this._states.get(variable) ?? EMPTY_STATE;
  }

  /** The language the kernel reports, for validating names before it is asked again. */
  async kernelLanguage(): Promise<KernelLanguage | null> {
    this._language = kernelLanguage(await this._options.kernel.language());
    return this._language;
  }

  /** Attaches a DID on the active instance and defines it in the kernel. */
  async attach(variable: string, did: string): Promise<void> {
    const { auth } = this._options;
    // Known before the list announces it, so that it is injected once, here.
    this._states.set(variable, { ...EMPTY_STATE, status: 'resolving' });
    this._options.list.add({
      variable,
      did,
      instance: auth.activeName,
      rucio_url: auth.active?.rucio_url ?? null
    });
    await this.inject([variable], true);
  }

  remove(variable: string): void {
    this._options.list.remove(variable);
  }

  async rename(variable: string, to: string): Promise<void> {
    this._states.set(to, { ...this.state(variable), status: 'resolving' });
    this._options.list.rename(variable, to);
    await this.inject([to]);
  }

  /**
   * Resolves the attachments (all, or the named ones) and defines those that are available.
   * `notify` reports the variables left undefined (not on background re-checks).
   */
  async inject(only?: string[], notify = false): Promise<void> {
    const targets = this.attachments.filter(
      a => !only || only.includes(a.variable)
    );
    if (targets.length === 0) {
      return;
    }
    const { kernel, trans } = this._options;
    if (!kernel.hasKernel) {
      targets.forEach(a =>
        this._set(a.variable, { status: 'waiting', message: null })
      );
      return;
    }
    const reported = await kernel.language();
    const language = kernelLanguage(reported);
    this._language = language;
    if (!language) {
      const message = unsupportedMessage(reported, trans);
      targets.forEach(a =>
        this._set(a.variable, { status: 'unsupported', message })
      );
      if (notify) {
        this._options.onNotice?.('unsupported', message);
      }
      return;
    }
    const groups = new Map<string, IAttachment[]>();
    for (const attachment of targets) {
      const instance = instanceOf(attachment, this._options.auth);
      const problem = instance
        ? checkVariableName(attachment.variable, language, [], trans)
        : instanceProblem(attachment, trans);
      if (problem || !instance) {
        this._set(attachment.variable, {
          status: instance ? 'error' : 'other-instance',
          message: problem
        });
        continue;
      }
      groups.set(instance, [...(groups.get(instance) ?? []), attachment]);
    }
    const undefinedOnes: string[] = [];
    await Promise.all(
      [...groups.entries()].map(([instance, group]) =>
        this._injectGroup(reported!, instance, group, undefinedOnes)
      )
    );
    if (notify && undefinedOnes.length > 0) {
      this._options.onNotice?.(
        'not-defined',
        notDefinedMessage(undefinedOnes, trans)
      );
    }
    if (this._hasPending()) {
      void this._poll.refresh();
    }
  }

  /** Asks the server to make the attachment's DID available; the poll follows it. */
  async makeAvailable(variable: string): Promise<void> {
    const attachment = this.list.find(variable);
    const instance = attachment && instanceOf(attachment, this._options.auth);
    if (!attachment || !instance) {
      return;
    }
    this._set(variable, { requesting: true });
    try {
      const result = await this._options.api.makeAvailable(
        attachment.did,
        instance
      );
      this._set(variable, { availability: result, requesting: false });
    } catch (reason) {
      this._set(variable, { requesting: false });
      throw this._checked(toApiError(reason));
    }
    if (this.state(variable).availability?.state === 'AVAILABLE') {
      await this.inject([variable]);
    } else {
      void this._poll.refresh();
    }
  }

  /** The attachments (all, or the named ones) written as a cell. */
  async cellContent(only?: string[]): Promise<ICellContent> {
    const { api, kernel, auth } = this._options;
    const targets = this.attachments.filter(
      a => !only || only.includes(a.variable)
    );
    return cellContent(api, await kernel.language(), targets, auth);
  }

  dispose(): void {
    this._poll.dispose();
    this._options.list.changed.disconnect(this._onListChanged, this);
    this._options.auth.changed.disconnect(this._onAuthChanged, this);
    Signal.clearData(this);
  }

  private async _injectGroup(
    language: string,
    instance: string,
    group: IAttachment[],
    undefinedOnes: string[]
  ): Promise<void> {
    const turn = new Map(
      group.map(a => [a.variable, this._nextTurn(a.variable)])
    );
    const current = (a: IAttachment) =>
      turn.get(a.variable) === this._turns.get(a.variable) &&
      this.list.find(a.variable)?.did === a.did;
    group.forEach(a =>
      this._set(a.variable, { status: 'resolving', message: null })
    );
    let defined: IDefined;
    try {
      defined = await defineAttachments(
        this._options.api,
        this._options.kernel,
        language,
        instance,
        group
      );
    } catch (reason) {
      const error = this._checked(toApiError(reason));
      group
        .filter(current)
        .forEach(a =>
          this._set(a.variable, { status: 'error', message: error.message })
        );
      return;
    }
    const { reply, failure } = defined;
    for (const [index, attachment] of group.entries()) {
      const result = reply.results[index];
      if (!current(attachment) || !result) {
        continue;
      }
      const status = resolvedStatus(result, failure);
      this._set(attachment.variable, {
        status,
        message: status === 'error' && failure ? failure : result.message,
        count: result.count
      });
      if (status === 'not-available') {
        undefinedOnes.push(attachment.variable);
        void this._refreshAvailability(attachment, instance);
      }
    }
  }

  private async _refreshAvailability(
    attachment: IAttachment,
    instance: string
  ): Promise<Rucio.IAvailability | null> {
    try {
      const availability = await this._options.api.availability(
        attachment.did,
        instance
      );
      if (this.list.find(attachment.variable)?.did === attachment.did) {
        this._set(attachment.variable, { availability });
      }
      return availability;
    } catch (reason) {
      this._checked(toApiError(reason));
      return null;
    }
  }

  /** One poll: availability of every pending attachment; the available ones are defined. */
  private async _checkPending(): Promise<void> {
    const pending = this.attachments.filter(
      a => this.state(a.variable).status === 'not-available'
    );
    const ready: string[] = [];
    await Promise.all(
      pending.map(async attachment => {
        const instance = instanceOf(attachment, this._options.auth);
        const availability =
          instance && (await this._refreshAvailability(attachment, instance));
        if (availability && availability.state === 'AVAILABLE') {
          ready.push(attachment.variable);
        }
      })
    );
    if (ready.length > 0) {
      await this.inject(ready);
    }
  }

  private _checked(error: RucioApiError): RucioApiError {
    if (error.needsCredentials) {
      this._options.auth.markUnauthorized(error);
    }
    return error;
  }

  private _hasPending(): boolean {
    return this.attachments.some(
      a => this.state(a.variable).status === 'not-available'
    );
  }

  private _nextTurn(variable: string): number {
    const turn = (this._turns.get(variable) ?? 0) + 1;
    this._turns.set(variable, turn);
    return turn;
  }

  private _onListChanged(): void {
    const variables = new Set(this.list.variables);
    for (const variable of [...this._states.keys()]) {
      if (!variables.has(variable)) {
        this._states.delete(variable);
      }
    }
    // Attachments that arrived through the metadata (another view, a collaborator).
    const fresh = this.attachments
      .filter(a => !this._states.has(a.variable))
      .map(a => a.variable);
    // Known from now on, so that a further change does not inject them a second time.
    fresh.forEach(variable =>
      this._states.set(variable, { ...EMPTY_STATE, status: 'resolving' })
    );
    this._changed.emit();
    if (fresh.length > 0) {
      void this.inject(fresh);
    }
  }

  /** Once the user is signed in again, what failed (e.g. for lack of credentials) is retried. */
  private _onAuthChanged(): void {
    const status = this._options.auth.status;
    const signedIn = status === 'connected' && this._authStatus !== status;
    this._authStatus = status;
    const failed = this.attachments
      .filter(a => this.state(a.variable).status === 'error')
      .map(a => a.variable);
    if (signedIn && failed.length > 0) {
      void this.inject(failed);
    }
  }

  private _set(variable: string, change: Partial<IAttachmentState>): void {
    this._states.set(variable, { ...this.state(variable), ...change });
    this._changed.emit();
  }

  private _states = new Map<string, IAttachmentState>();
  private _turns = new Map<string, number>();
  private _language: KernelLanguage | null | undefined = undefined;
  private _active = false;
  private _authStatus = '';
  private _poll: Poll;
  private _changed = new Signal<this, void>(this);
}
