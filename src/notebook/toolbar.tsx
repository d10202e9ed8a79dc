import { ReactWidget } from '@jupyterlab/apputils';
import { NotebookPanel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import React from 'react';

import { useSignal } from '../useSignal';
import { NotebookControllers } from './section';

/** The name of the notebook toolbar item (schema/notebook.json, `jupyter.lab.toolbars`). */
export const TOOLBAR_ITEM = 'rucio-attachments';

function AttachmentsStatus(props: {
  panel: NotebookPanel;
  controllers: NotebookControllers;
  trans: TranslationBundle;
  onInject: (panel: NotebookPanel) => void;
}): JSX.Element | null {
  const { controllers, panel, trans } = props;
  useSignal(controllers.changed);
  const controller = controllers.get(panel);
  useSignal<unknown>(controller?.changed ?? controllers.changed);
  if (!controller || controller.attachments.length === 0) {
    return null;
  }
  const attached = controller.attachments.length;
  const ready = controller.readyCount;
  return (
    <button
      className="jp-ToolbarButtonComponent jp-Rucio-toolbar-status"
      data-ready={ready === attached}
      title={trans.__('Define the Rucio attachments in the kernel again')}
      onClick={() => props.onInject(panel)}
    >
      <span className="jp-ToolbarButtonComponent-label">
        {trans.__('Rucio: %1 attached, %2 ready', attached, ready)}
      </span>
    </button>
  );
}

/** The toolbar item of one notebook: how many attachments are defined; a click defines them. */
export function createToolbarItem(
  panel: NotebookPanel,
  controllers: NotebookControllers,
  trans: TranslationBundle,
  onInject: (panel: NotebookPanel) => void
): Widget {
  const widget = ReactWidget.create(
    <AttachmentsStatus
      panel={panel}
      controllers={controllers}
      trans={trans}
      onInject={onInject}
    />
  );
  widget.addClass('jp-Rucio-toolbar-item');
  return widget;
}
