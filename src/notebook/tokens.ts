/**
 * Contracts of the notebook feature: attachments as notebooks store them, their state in
 * the kernel, and the wire types of `POST notebook/code` (see jupyterlab_rucio/openapi.yaml).
 */
import type { ISignal } from '@lumino/signaling';

import type { Rucio } from '../tokens';

export const NotebookCommandIDs = {
  addToNotebook: 'rucio:add-to-notebook',
  injectAttachments: 'rucio:inject-attachments'
} as const;

/** The notebook metadata key of the attachments. */
export const METADATA_KEY = 'rucio';
/** Where notebooks made with the rucio/jupyterlab-extension keep theirs. */
export const LEGACY_METADATA_KEY = 'rucio_attachments';

/** A DID attached to a notebook under a variable name, as the notebook stores it. */
export interface IAttachment {
  variable: string;
  /** `scope:name` */
  did: string;
  /** The instance it was attached on; null for attachments of the older extension. */
  instance: string | null;
  /** That instance's Rucio URL, so that another hub can tell it is not its Rucio. */
  rucio_url: string | null;
}

/** Where an attachment stands in the notebook's kernel. */
export type AttachmentStatus =
  /** No kernel yet: defined once one starts. */
  | 'waiting'
  | 'resolving'
  /** Defined in the kernel. */
  | 'ready'
  /** Not (fully) available at the hub: not defined; `availability` tells more. */
  | 'not-available'
  | 'error'
  /** Attached on an instance this server does not have (or with another Rucio URL). */
  | 'other-instance'
  /** The kernel's language has no generator: insert it as a code cell instead. */
  | 'unsupported';

export interface IAttachmentState {
  status: AttachmentStatus;
  /** Why it is not ready (Rucio's reason, the error, the instance it belongs to). */
  message: string | null;
  /** Files of the DID found available. */
  count: number | null;
  availability: Rucio.IAvailability | null;
  /** A make-available request is on its way. */
  requesting: boolean;
}

/** The part of a notebook model that holds metadata (INotebookModel has it). */
export interface IMetadataHost {
  readonly metadataChanged: ISignal<unknown, unknown>;
  getMetadata(key: string): unknown;
  setMetadata(key: string, value: unknown): void;
  deleteMetadata(key: string): void;
}

/** The notebook's kernel, as far as injection needs it. */
export interface IKernelLink {
  /** Emitted when a kernel (new, restarted or changed) is ready and has none of the variables. */
  readonly kernelReady: ISignal<IKernelLink, void>;
  readonly hasKernel: boolean;
  /** The kernel's language (language_info.name, else the kernelspec's); null without a kernel. */
  language(): Promise<string | null>;
  /** Runs code silently (no output, no history); throws with the kernel's error. */
  execute(code: string): Promise<void>;
}

/** Wire types of the notebook routes. */
// eslint-disable-next-line @typescript-eslint/no-namespace
export namespace NotebookWire {
  export type ResolveStatus = 'OK' | 'NOT_AVAILABLE' | 'PARTIAL' | 'ERROR';

  export interface IAttachmentResult {
    variable: string;
    did: string;
    status: ResolveStatus;
    message: string | null;
    count: number;
  }

  export interface ICodeReply {
    language: string;
    results: IAttachmentResult[];
    code: string;
  }

  export interface IResolveResult {
    did: string;
    status: ResolveStatus;
    paths: string[];
    message: string | null;
  }
}
