import { TranslationBundle } from '@jupyterlab/translation';

import { IRucioAuth } from '../tokens';
import { IAttachment } from './tokens';

/** What the attachments need to know of the sign-in state. */
export type IAttachmentAuth = Pick<
  IRucioAuth,
  | 'instances'
  | 'activeName'
  | 'active'
  | 'status'
  | 'changed'
  | 'markUnauthorized'
>;

function withoutSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * The instance an attachment resolves against: the one it was attached on (the active one
 * for attachments without), if this server has it with the same Rucio URL; else null.
 */
export function instanceOf(
  attachment: IAttachment,
  auth: IAttachmentAuth
): string | null {
  const name = attachment.instance ?? auth.activeName;
  const instance = auth.instances.find(i => i.name === name);
  if (!instance) {
    return null;
  }
  const url = attachment.rucio_url;
  return url && withoutSlash(url) !== withoutSlash(instance.rucio_url)
    ? null
    : instance.name;
}

/** Why an attachment is not resolved here (instanceOf gave null). */
export function instanceProblem(
  attachment: IAttachment,
  trans: TranslationBundle
): string {
  return trans.__(
    'Attached on Rucio instance %1 (%2), which this server does not have: it is not resolved here.',
    attachment.instance ?? trans.__('unknown'),
    attachment.rucio_url ?? trans.__('no URL')
  );
}

/** Attachments grouped by the instance they resolve against; the others go to `elsewhere`. */
export function byInstance(
  attachments: readonly IAttachment[],
  auth: IAttachmentAuth,
  elsewhere: IAttachment[] = []
): Map<string, IAttachment[]> {
  const groups = new Map<string, IAttachment[]>();
  for (const attachment of attachments) {
    const instance = instanceOf(attachment, auth);
    if (instance) {
      groups.set(instance, [...(groups.get(instance) ?? []), attachment]);
    } else {
      elsewhere.push(attachment);
    }
  }
  return groups;
}
