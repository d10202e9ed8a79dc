import { IRucioApi } from '../tokens';
import { NotebookWire } from './tokens';

/** The code defining these attachments in `language`, with one result per attachment. */
export function notebookCode(
  api: IRucioApi,
  language: string,
  attachments: { variable: string; did: string }[],
  instance: string
): Promise<NotebookWire.ICodeReply> {
  return api.send('post', 'notebook/code', { language, instance, attachments });
}

/** Paths of the DIDs' files (for kernels whose language has no code generator). */
export async function resolvePaths(
  api: IRucioApi,
  dids: string[],
  instance: string
): Promise<NotebookWire.IResolveResult[]> {
  const reply = await api.send<{ results: NotebookWire.IResolveResult[] }>(
    'post',
    'resolve',
    { dids },
    { instance }
  );
  return reply.results;
}
