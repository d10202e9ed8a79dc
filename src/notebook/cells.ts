import { IRucioApi } from '../tokens';
import { notebookCode, resolvePaths } from './api';
import { byInstance, IAttachmentAuth } from './instances';
import { kernelLanguage } from './names';
import { IAttachment } from './tokens';

/** A cell that writes the attachments down: code in the kernel's language, else raw text. */
export interface ICellContent {
  cellType: 'code' | 'raw';
  source: string;
  /** Attachments left out: not available, or attached on another Rucio. */
  skipped: string[];
}

/**
 * The attachments as a cell: the server's code for the kernel's language, or, for a kernel
 * in another language, a raw cell listing each variable's paths.
 */
export async function cellContent(
  api: IRucioApi,
  reported: string | null,
  attachments: readonly IAttachment[],
  auth: IAttachmentAuth
): Promise<ICellContent> {
  const elsewhere: IAttachment[] = [];
  const groups = byInstance(attachments, auth, elsewhere);
  const skipped = elsewhere.map(a => a.variable);
  const parts: string[] = [];
  const asCode = reported !== null && kernelLanguage(reported) !== null;
  for (const [instance, group] of groups) {
    if (asCode) {
      const reply = await notebookCode(
        api,
        reported,
        group.map(a => ({ variable: a.variable, did: a.did })),
        instance
      );
      reply.results
        .filter(r => r.status !== 'OK')
        .forEach(r => skipped.push(r.variable));
      parts.push(reply.code);
      continue;
    }
    const results = await resolvePaths(
      api,
      group.map(a => a.did),
      instance
    );
    group.forEach((attachment, index) => {
      const result = results[index];
      if (result?.status === 'OK') {
        parts.push(
          [`${attachment.variable} (${attachment.did}):`, ...result.paths].join(
            '\n'
          )
        );
      } else {
        skipped.push(attachment.variable);
      }
    });
  }
  return {
    cellType: asCode ? 'code' : 'raw',
    source: parts.join(asCode ? '' : '\n\n'),
    skipped
  };
}
