import { ISignal, Signal } from '@lumino/signaling';

import {
  IAttachment,
  IMetadataHost,
  LEGACY_METADATA_KEY,
  METADATA_KEY
} from './tokens';

function text(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

/** The attachments a notebook's metadata holds: ours, then the older extension's. */
export function readAttachments(host: IMetadataHost): IAttachment[] {
  const found: IAttachment[] = [];
  const ours = host.getMetadata(METADATA_KEY) as
    { attachments?: unknown } | undefined;
  const entries = Array.isArray(ours?.attachments) ? ours.attachments : [];
  for (const entry of entries as Record<string, unknown>[]) {
    const variable = text(entry?.variable);
    const did = text(entry?.did);
    if (variable && did && !found.some(a => a.variable === variable)) {
      found.push({
        variable,
        did,
        instance: text(entry.instance),
        rucio_url: text(entry.rucio_url)
      });
    }
  }
  const legacy = host.getMetadata(LEGACY_METADATA_KEY);
  for (const entry of (Array.isArray(legacy) ? legacy : []) as Record<
    string,
    unknown
  >[]) {
    const variable = text(entry?.variableName);
    const did = text(entry?.did);
    if (variable && did && !found.some(a => a.variable === variable)) {
      found.push({ variable, did, instance: null, rucio_url: null });
    }
  }
  return found;
}

/**
 * The attachments of one notebook, kept in its metadata (so they are saved, shared and
 * reopened with it). Changes made elsewhere (another view of the same notebook, a
 * collaborator) arrive through the metadata and are emitted as `changed`.
 */
export class NotebookAttachmentList {
  constructor(private _host: IMetadataHost) {
    this._attachments = readAttachments(_host);
    _host.metadataChanged.connect(this._reload, this);
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get attachments(): readonly IAttachment[] {
    return this._attachments;
  }

  get variables(): string[] {
    return this._attachments.map(a => a.variable);
  }

  find(variable: string): IAttachment | undefined {
    return this._attachments.find(a => a.variable === variable);
  }

  add(attachment: IAttachment): void {
    if (this.find(attachment.variable)) {
      throw new Error(`${attachment.variable} is already attached`);
    }
    this._write([...this._attachments, attachment]);
  }

  remove(variable: string): void {
    this._write(this._attachments.filter(a => a.variable !== variable));
  }

  rename(variable: string, to: string): void {
    if (variable !== to && this.find(to)) {
      throw new Error(`${to} is already attached`);
    }
    this._write(
      this._attachments.map(a =>
        a.variable === variable ? { ...a, variable: to } : a
      )
    );
  }

  dispose(): void {
    this._host.metadataChanged.disconnect(this._reload, this);
    Signal.clearData(this);
  }

  /** Writes every attachment under our key; the older extension's key is migrated. */
  private _write(attachments: IAttachment[]): void {
    this._attachments = attachments;
    this._writing = true;
    try {
      if (this._host.getMetadata(LEGACY_METADATA_KEY) !== undefined) {
        this._host.deleteMetadata(LEGACY_METADATA_KEY);
      }
      const current = this._host.getMetadata(METADATA_KEY);
      const others =
        current && typeof current === 'object' && !Array.isArray(current)
          ? current
          : {};
      this._host.setMetadata(METADATA_KEY, {
        ...others,
        attachments: attachments.map(a => ({ ...a }))
      });
    } finally {
      this._writing = false;
    }
    this._changed.emit();
  }

  private _reload(): void {
    if (this._writing) {
      return;
    }
    const next = readAttachments(this._host);
    if (JSON.stringify(next) !== JSON.stringify(this._attachments)) {
      this._attachments = next;
      this._changed.emit();
    }
  }

  private _attachments: IAttachment[];
  private _writing = false;
  private _changed = new Signal<this, void>(this);
}
