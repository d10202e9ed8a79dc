import { ReactWidget } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';
import React from 'react';

import { useSignal } from '../useSignal';
import { AttachmentController } from './controller';
import { IAttachmentActions, NotebookView } from './NotebookView';

export const NOTEBOOK_SECTION_ID = 'jupyterlab-rucio-notebook';

/** The attachment controller of every open notebook (created once its model is loaded). */
export class NotebookControllers {
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get(panel: NotebookPanel | null): AttachmentController | null {
    return (panel && this._controllers.get(panel)) ?? null;
  }

  set(panel: NotebookPanel, controller: AttachmentController): void {
    this._controllers.set(panel, controller);
    this._changed.emit();
  }

  delete(panel: NotebookPanel): void {
    this._controllers.get(panel)?.dispose();
    this._controllers.delete(panel);
    this._changed.emit();
  }

  private _controllers = new Map<NotebookPanel, AttachmentController>();
  private _changed = new Signal<this, void>(this);
}

interface ISectionProps {
  tracker: INotebookTracker;
  controllers: NotebookControllers;
  actions: IAttachmentActions;
  trans: TranslationBundle;
}

function CurrentNotebook(props: ISectionProps): JSX.Element {
  const { tracker, controllers } = props;
  useSignal(tracker.currentChanged);
  useSignal(controllers.changed);
  const panel = tracker.currentWidget;
  return (
    <NotebookView
      controller={controllers.get(panel)}
      notebookName={panel?.title.label ?? ''}
      actions={props.actions}
      trans={props.trans}
    />
  );
}

/** The Notebook section of the Rucio sidebar: the active notebook's attachments. */
export class NotebookSection extends ReactWidget {
  constructor(private _props: ISectionProps) {
    super();
    this.id = NOTEBOOK_SECTION_ID;
    this.addClass('jp-Rucio-section');
    this.addClass('jp-Rucio-notebook-section');
  }

  render(): JSX.Element {
    return <CurrentNotebook {...this._props} />;
  }
}
