import { NotebookPanel } from '@jupyterlab/notebook';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import React from 'react';

import { AttachmentController } from '../../notebook/controller';
import { NotebookAttachmentList } from '../../notebook/metadata';
import { NotebookControllers } from '../../notebook/section';
import { createToolbarItem } from '../../notebook/toolbar';
import { flush } from '../render';
import {
  fakeAuth,
  FakeKernel,
  FakeNotebookModel,
  NotebookFakeApi
} from './fakes';

const trans = nullTranslator.load('jupyterlab_rucio');

describe('notebook toolbar item', () => {
  it('shows how many attachments are defined and defines them again on click', async () => {
    const panel = new Widget() as unknown as NotebookPanel;
    const controllers = new NotebookControllers();
    const onInject = jest.fn();
    const item = createToolbarItem(panel, controllers, trans, onInject);
    React.act(() => Widget.attach(item, document.body));
    await flush();
    expect(item.node.textContent).toBe('');

    const api = new NotebookFakeApi();
    api.available.add('physics:run2024.raw');
    const controller = new AttachmentController({
      list: new NotebookAttachmentList(new FakeNotebookModel()),
      kernel: new FakeKernel(),
      api,
      auth: fakeAuth(),
      trans
    });
    React.act(() => controllers.set(panel, controller));
    await React.act(() => controller.attach('raw', 'physics:run2024.raw'));
    await React.act(() => controller.attach('calib', 'physics:run2024.calib'));
    await flush();
    const button = item.node.querySelector('button')!;
    expect(button.textContent).toBe('Rucio: 2 attached, 1 ready');
    expect(button.dataset.ready).toBe('false');
    React.act(() => button.click());
    expect(onInject).toHaveBeenCalledWith(panel);
    React.act(() => Widget.detach(item));
    controller.dispose();
  });
});
