/* eslint-disable jupyter/prefer-lazy-imports -- the Notebook section belongs to the restored sidebar and the toolbar item to every notebook, so both are built when the plugin activates. */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  IToolbarWidgetRegistry,
  Notification
} from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { notebookIcon, refreshIcon } from '@jupyterlab/ui-components';

import { readPreferences } from '../preferences';
import { IRucioSession, RucioApiError } from '../tokens';
import { AttachmentController, NoticeKind } from './controller';
import { SessionKernelLink } from './kernel';
import { NotebookAttachmentList } from './metadata';
import { kernelLanguage, KernelLanguage, suggestVariableName } from './names';
import { IAttachmentActions } from './NotebookView';
import {
  NOTEBOOK_SECTION_ID,
  NotebookControllers,
  NotebookSection
} from './section';
import { createToolbarItem, TOOLBAR_ITEM } from './toolbar';
import { NotebookCommandIDs } from './tokens';
import { askVariableName } from './VariableDialog';

const PREFERENCES_ID = 'jupyterlab-rucio:plugin';
const NOTEBOOK_RANK = 200;
/** Where "Add to notebook" stands among the commands on a DID. */
const ADD_COMMAND_RANK = 10;

/** The language of a notebook's kernel; without a kernel, the one its metadata records. */
async function notebookLanguage(
  panel: NotebookPanel,
  controller: AttachmentController
): Promise<KernelLanguage | null> {
  if (panel.sessionContext.session?.kernel) {
    return controller.kernelLanguage();
  }
  const info = panel.model?.getMetadata('language_info') as
    { name?: string } | undefined;
  const spec = panel.model?.getMetadata('kernelspec') as
    { language?: string } | undefined;
  return kernelLanguage(info?.name ?? spec?.language);
}

/**
 * Add to notebook: DIDs attached to a notebook (kept in its metadata) become variables in
 * its kernel, defined by a silent execution of code the server generates in the kernel's
 * language. A Notebook section shows the active notebook's attachments, and a toolbar item
 * in every notebook shows how many are defined.
 */
export const notebookPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-rucio:notebook',
  description:
    'Attach Rucio DIDs to notebooks as variables holding file paths.',
  autoStart: true,
  requires: [IRucioSession, INotebookTracker],
  optional: [IToolbarWidgetRegistry, ISettingRegistry, ICommandPalette],
  activate: async (
    app: JupyterFrontEnd,
    session: IRucioSession,
    tracker: INotebookTracker,
    toolbarRegistry: IToolbarWidgetRegistry | null,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null
  ) => {
    const { trans } = session;
    const controllers = new NotebookControllers();
    let pollSeconds = 5;

    const notice = (kind: NoticeKind, message: string) => {
      const show = {
        label: trans.__('Show'),
        caption: trans.__('Open the Notebook section of the Rucio sidebar'),
        callback: () => session.sidebar.showSection(NOTEBOOK_SECTION_ID)
      };
      Notification.warning(message, {
        autoClose: kind === 'unsupported' ? false : 8000,
        actions: [show]
      });
    };

    const follow = (panel: NotebookPanel) => {
      void panel.context.ready.then(() => {
        if (panel.isDisposed || !panel.model) {
          return;
        }
        const list = new NotebookAttachmentList(panel.model);
        const kernel = new SessionKernelLink(panel.sessionContext, trans);
        const controller = new AttachmentController({
          list,
          kernel,
          api: session.api,
          auth: session.auth,
          trans,
          pollSeconds,
          onNotice: notice
        });
        controller.active = tracker.currentWidget === panel;
        controllers.set(panel, controller);
        panel.disposed.connect(() => {
          controllers.delete(panel);
          list.dispose();
          kernel.dispose();
        });
      });
    };
    tracker.forEach(follow);
    tracker.widgetAdded.connect((_, panel) => follow(panel));
    tracker.currentChanged.connect((_, current) => {
      tracker.forEach(panel => {
        const controller = controllers.get(panel);
        if (controller) {
          controller.active = panel === current;
        }
      });
      app.commands.notifyCommandChanged(NotebookCommandIDs.addToNotebook);
    });

    const current = (): [NotebookPanel, AttachmentController] | null => {
      const panel = tracker.currentWidget;
      const controller = controllers.get(panel);
      return panel && controller ? [panel, controller] : null;
    };
    const failed = (summary: string) => (error: unknown) =>
      session.notifyError(
        summary,
        error instanceof Error ? error : new RucioApiError(String(error), 0)
      );

    const insertCell = async (variable?: string) => {
      const found = current();
      if (!found) {
        return;
      }
      const [panel, controller] = found;
      const content = await controller.cellContent(
        variable ? [variable] : undefined
      );
      if (content.skipped.length > 0) {
        Notification.warning(
          trans.__(
            'Not inserted, not available at the hub: %1',
            content.skipped.join(', ')
          ),
          { autoClose: 8000 }
        );
      }
      if (!content.source) {
        return;
      }
      const notebook = panel.content;
      const at = Math.max(notebook.activeCellIndex + 1, 0);
      notebook.model?.sharedModel.insertCell(at, {
        cell_type: content.cellType,
        source: content.source
      });
      notebook.activeCellIndex = at;
    };

    const rename = async (variable: string) => {
      const found = current();
      if (!found) {
        return;
      }
      const [panel, controller] = found;
      const attachment = controller.list.find(variable);
      const name = await askVariableName(
        trans.__('Rename %1', variable),
        trans.__('Rename'),
        {
          did: attachment?.did ?? '',
          initial: variable,
          language: await notebookLanguage(panel, controller),
          taken: controller.list.variables.filter(v => v !== variable),
          trans
        }
      );
      if (name && name !== variable) {
        await controller.rename(variable, name);
      }
    };

    const actions: IAttachmentActions = {
      makeAvailable: variable =>
        void current()?.[1]
          .makeAvailable(variable)
          .catch(failed(trans.__('Could not make %1 available', variable))),
      inject: variable =>
        void current()?.[1].inject(variable ? [variable] : undefined, true),
      rename: variable =>
        void rename(variable).catch(
          failed(trans.__('Could not rename %1', variable))
        ),
      remove: variable => current()?.[1].remove(variable),
      insertCell: variable =>
        void insertCell(variable).catch(
          failed(trans.__('Could not insert the paths'))
        )
    };

    app.commands.addCommand(NotebookCommandIDs.addToNotebook, {
      label: trans.__('Add to notebook'),
      caption: trans.__('Attach this DID to the active notebook as a variable'),
      icon: notebookIcon,
      describedBy: {
        args: {
          type: 'object',
          properties: {
            did: {
              type: 'string',
              description: trans.__('The DID, scope:name')
            },
            type: {
              type: 'string',
              description: trans.__('FILE, DATASET or CONTAINER')
            }
          }
        }
      },
      isEnabled: () => !!tracker.currentWidget,
      execute: async args => {
        const target = session.didArgs(args);
        const found = current();
        if (!target) {
          return;
        }
        if (!found) {
          Notification.warning(
            trans.__('Open a notebook to add %1 to it.', target.did),
            {
              autoClose: 5000
            }
          );
          return;
        }
        const [panel, controller] = found;
        const taken = controller.list.variables;
        const name = await askVariableName(
          trans.__('Add %1 to %2', target.did, panel.title.label),
          trans.__('Add'),
          {
            did: target.did,
            initial: suggestVariableName(target.did, taken),
            language: await notebookLanguage(panel, controller),
            taken,
            trans
          }
        );
        if (name) {
          session.sidebar.showSection(NOTEBOOK_SECTION_ID);
          await controller
            .attach(name, target.did)
            .catch(failed(trans.__('Could not attach %1', target.did)));
        }
      }
    });
    session.addDidCommand(NotebookCommandIDs.addToNotebook, ADD_COMMAND_RANK);

    app.commands.addCommand(NotebookCommandIDs.injectAttachments, {
      label: trans.__('Define Rucio Attachments in the Kernel'),
      caption: trans.__(
        "Define the active notebook's Rucio attachments in its kernel again"
      ),
      icon: refreshIcon,
      describedBy: { args: { type: 'object', properties: {} } },
      isEnabled: () => !!current(),
      execute: () => actions.inject()
    });
    palette?.addItem({
      command: NotebookCommandIDs.injectAttachments,
      category: trans.__('Rucio')
    });

    const section = new NotebookSection({
      tracker,
      controllers,
      actions,
      trans
    });
    section.title.label = trans.__('Notebook');
    session.sidebar.addSection(section, { rank: NOTEBOOK_RANK });

    toolbarRegistry?.addFactory<NotebookPanel>(
      'Notebook',
      TOOLBAR_ITEM,
      panel =>
        createToolbarItem(
          panel,
          controllers,
          trans,
          p => void controllers.get(p)?.inject(undefined, true)
        )
    );

    if (settingRegistry) {
      try {
        const settings = await settingRegistry.load(PREFERENCES_ID);
        const apply = () => {
          pollSeconds = readPreferences(settings).pollingInterval;
          tracker.forEach(panel => {
            const controller = controllers.get(panel);
            if (controller) {
              controller.pollSeconds = pollSeconds;
            }
          });
        };
        apply();
        settings.changed.connect(apply);
      } catch (reason) {
        console.warn('Rucio preferences could not be loaded', reason);
      }
    }
  }
};
