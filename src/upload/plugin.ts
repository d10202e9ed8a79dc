/* eslint-disable jupyter/prefer-lazy-imports -- the Uploads section belongs to the restored sidebar, so it is built when the plugin activates. */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { fileUploadIcon } from '@jupyterlab/ui-components';

import { IRucioSession } from '../tokens';
import { UploadApi } from './api';
import { askUpload } from './dialog';
import { UploadsModel } from './model';
import { JobNotifications } from './notifications';
import { UPLOADS_SECTION_ID, UploadsSection } from './section';

export const UPLOAD_COMMAND = 'rucio:upload';
const UPLOADS_RANK = 300;
/** The command takes no arguments: it acts on the file browser's selection. */
const NO_ARGS = { args: { type: 'object' as const, properties: {} } };

/**
 * "Upload to Rucio" on files and folders of the file browser (context menu declared in
 * schema/upload.json, and the palette), and the Uploads section of the sidebar.
 */
export const uploadPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-rucio:upload',
  description: 'Upload files and folders from the file browser to Rucio.',
  autoStart: true,
  requires: [IRucioSession, IFileBrowserFactory],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    session: IRucioSession,
    factory: IFileBrowserFactory,
    palette: ICommandPalette | null
  ) => {
    const { trans } = session;
    const api = new UploadApi(session.api);
    const openUploads = () => session.sidebar.showSection(UPLOADS_SECTION_ID);
    const model = new UploadsModel(
      api,
      new JobNotifications(trans, openUploads)
    );
    session.instanceChanged.connect((_, name) => {
      model.instance = name ?? undefined;
    });
    if (session.auth.activeName) {
      model.instance = session.auth.activeName;
    }
    const section = new UploadsSection({
      model,
      trans,
      onError: (summary, error) => session.notifyError(summary, error)
    });
    section.title.label = trans.__('Uploads');
    session.sidebar.addSection(section, { rank: UPLOADS_RANK });

    const selectedPaths = (): string[] => {
      const browser = factory.tracker.currentWidget;
      return browser
        ? Array.from(browser.selectedItems(), item => item.path)
        : [];
    };

    app.commands.addCommand(UPLOAD_COMMAND, {
      label: trans.__('Upload to Rucio'),
      caption: trans.__(
        'Upload the selected files and folders to a Rucio storage element'
      ),
      icon: fileUploadIcon,
      describedBy: NO_ARGS,
      isEnabled: () =>
        session.auth.status === 'connected' && selectedPaths().length > 0,
      execute: async () => {
        const paths = selectedPaths();
        if (paths.length === 0) {
          return;
        }
        const instance = session.auth.active;
        try {
          const selection = await api.selection(paths);
          const request = await askUpload(api, selection, trans, {
            rse: instance?.destination_rse ?? null,
            lifetimeDays: instance?.default_lifetime_days ?? null
          });
          if (request) {
            await model.start(request);
            openUploads();
          }
        } catch (error) {
          session.notifyError(
            trans.__('The upload did not start'),
            error as Error
          );
        }
      }
    });
    session.auth.changed.connect(() =>
      app.commands.notifyCommandChanged(UPLOAD_COMMAND)
    );
    palette?.addItem({ command: UPLOAD_COMMAND, category: trans.__('Rucio') });
  }
};
