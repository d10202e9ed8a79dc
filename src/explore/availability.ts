import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { toApiError } from '../api';
import { AvailabilityState, IRucioApi, Rucio, RucioApiError } from '../tokens';

/** What the panel knows about one DID's availability at the hub. */
export interface IAvailabilityEntry {
  availability: Rucio.IAvailability | null;
  loading: boolean;
  error: RucioApiError | null;
  /** A make-available request is on its way. */
  requesting: boolean;
}

/** States that change by themselves and are therefore polled. */
const CHANGING_STATES: AvailabilityState[] = ['REPLICATING'];

/** States for which "Make available" is offered. */
export const ACTIONABLE_STATES: AvailabilityState[] = [
  'NOT_AVAILABLE',
  'PARTIALLY_AVAILABLE'
];

/**
 * Availability of the DIDs the user expanded. DIDs whose state is changing are
 * refreshed by a poll that stands by while the panel is hidden or nothing changes.
 */
export class AvailabilityTracker {
  constructor(
    private _api: IRucioApi,
    intervalSeconds: number
  ) {
    this._poll = new Poll({
      auto: true,
      factory: () => this._refreshChanging(),
      frequency: {
        interval: intervalSeconds * 1000,
        backoff: true,
        max: Math.max(intervalSeconds * 1000 * 6, 60000)
      },
      name: 'jupyterlab-rucio:availability',
      standby: () =>
        !this._visible ||
        !this.hasChanging ||
        (typeof document !== 'undefined' && document.hidden)
    });
  }

  get changed(): ISignal<this, string> {
    return this._changed;
  }

  /** The instance the DIDs belong to; changing it forgets every entry. */
  get instance(): string | undefined {
    return this._instance;
  }
  set instance(name: string | undefined) {
    if (name !== this._instance) {
      this._instance = name;
      this._entries.clear();
    }
  }

  set intervalSeconds(seconds: number) {
    this._poll.frequency = {
      ...this._poll.frequency,
      interval: seconds * 1000,
      max: Math.max(seconds * 1000 * 6, 60000)
    };
  }

  /** Whether the panel is on screen; polling stands by while it is not. */
  set visible(visible: boolean) {
    this._visible = visible;
    if (visible && this.hasChanging) {
      void this._poll.refresh();
    }
  }

  get hasChanging(): boolean {
    for (const entry of this._entries.values()) {
      const state = entry.availability?.state;
      if (state && CHANGING_STATES.includes(state)) {
        return true;
      }
    }
    return false;
  }

  get(did: string): IAvailabilityEntry | undefined {
    return this._entries.get(did);
  }

  /** Loads the availability unless it is known or loading already. */
  ensure(did: string): void {
    if (!this._entries.has(did)) {
      void this.refresh(did);
    }
  }

  async refresh(did: string): Promise<void> {
    const instance = this._instance;
    this._update(did, { loading: true });
    try {
      const availability = await this._api.availability(did, instance);
      if (instance === this._instance) {
        this._update(did, { availability, loading: false, error: null });
      }
    } catch (reason) {
      if (instance === this._instance) {
        this._update(did, { loading: false, error: toApiError(reason) });
      }
    }
  }

  /**
   * Asks the server to replicate the DID to the hub. The state moves to REPLICATING
   * at once; the server's answer (and then the poll) takes it further.
   */
  async makeAvailable(did: string): Promise<void> {
    const instance = this._instance;
    const before = this._entries.get(did)?.availability ?? null;
    this._update(did, {
      requesting: true,
      error: null,
      availability: before ? { ...before, state: 'REPLICATING' } : null
    });
    try {
      const result = await this._api.makeAvailable(did, instance);
      if (instance === this._instance) {
        this._update(did, { availability: result, requesting: false });
      }
    } catch (reason) {
      if (instance === this._instance) {
        this._update(did, { availability: before, requesting: false });
      }
      throw toApiError(reason);
    }
    void this._poll.refresh();
  }

  dispose(): void {
    this._poll.dispose();
    Signal.clearData(this);
  }

  private async _refreshChanging(): Promise<void> {
    const changing = [...this._entries.entries()]
      .filter(([, entry]) => {
        const state = entry.availability?.state;
        return !entry.loading && state && CHANGING_STATES.includes(state);
      })
      .map(([did]) => did);
    await Promise.all(changing.map(did => this.refresh(did)));
  }

  private _update(did: string, change: Partial<IAvailabilityEntry>): void {
    const entry = this._entries.get(did) ?? {
      availability: null,
      loading: false,
      error: null,
      requesting: false
    };
    this._entries.set(did, { ...entry, ...change });
    this._changed.emit(did);
  }

  private _entries = new Map<string, IAvailabilityEntry>();
  private _instance: string | undefined;
  private _visible = false;
  private _poll: Poll;
  private _changed = new Signal<this, string>(this);
}
