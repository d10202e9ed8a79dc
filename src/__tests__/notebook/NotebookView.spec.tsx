import { nullTranslator } from '@jupyterlab/translation';
import React from 'react';

import { AttachmentController } from '../../notebook/controller';
import { NotebookAttachmentList } from '../../notebook/metadata';
import { IAttachmentActions, NotebookView } from '../../notebook/NotebookView';
import { VariableNameField } from '../../notebook/VariableDialog';
import { flush, render, type } from '../render';
import {
  fakeAuth,
  FakeKernel,
  FakeNotebookModel,
  NotebookFakeApi
} from './fakes';

const trans = nullTranslator.load('jupyterlab_rucio');

function setUp() {
  const kernel = new FakeKernel();
  const api = new NotebookFakeApi();
  api.available.add('physics:run2024.raw');
  const list = new NotebookAttachmentList(new FakeNotebookModel());
  const controller = new AttachmentController({
    list,
    kernel,
    api,
    auth: fakeAuth(),
    trans
  });
  const actions: jest.Mocked<IAttachmentActions> = {
    makeAvailable: jest.fn(),
    inject: jest.fn(),
    rename: jest.fn(),
    remove: jest.fn(),
    insertCell: jest.fn()
  };
  const view = render(
    <NotebookView
      controller={controller}
      notebookName="analysis.ipynb"
      actions={actions}
      trans={trans}
    />
  );
  const row = (variable: string) =>
    view.container.querySelector<HTMLElement>(
      `.jp-Rucio-attachment[data-variable="${variable}"]`
    );
  const button = (variable: string, label: string) =>
    row(variable)?.querySelector<HTMLButtonElement>(
      `button[aria-label="${label}"]`
    ) ??
    [...(row(variable)?.querySelectorAll('button') ?? [])].find(
      b => b.textContent === label
    );
  return { kernel, api, list, controller, actions, view, row, button };
}

describe('NotebookView', () => {
  it('asks for a notebook when none is open', () => {
    const view = render(
      <NotebookView
        controller={null}
        notebookName=""
        actions={{} as IAttachmentActions}
        trans={trans}
      />
    );
    expect(view.container.textContent).toContain(
      'Open a notebook to attach Rucio DIDs to it.'
    );
    view.unmount();
  });

  it('says how to attach when nothing is attached', () => {
    const { view, controller } = setUp();
    expect(view.container.textContent).toContain('No DIDs are attached');
    expect(view.container.textContent).toContain('analysis.ipynb');
    view.unmount();
    controller.dispose();
  });

  it('shows an available attachment as ready with its file count', async () => {
    const { view, controller, row } = setUp();
    await React.act(() => controller.attach('raw', 'physics:run2024.raw'));
    expect(row('raw')?.dataset.status).toBe('ready');
    expect(row('raw')?.textContent).toContain('physics:run2024.raw');
    expect(row('raw')?.querySelector('.jp-Rucio-state')?.textContent).toBe(
      'Ready'
    );
    expect(row('raw')?.textContent).toContain('2 files');
    expect(view.container.textContent).toContain('Python');
    view.unmount();
    controller.dispose();
  });

  it('shows what is not available, with Make available, and replication progress', async () => {
    const { view, controller, row, button, actions, api } = setUp();
    await React.act(() => controller.attach('calib', 'physics:run2024.calib'));
    await flush();
    expect(row('calib')?.dataset.status).toBe('not-available');
    expect(row('calib')?.querySelector('.jp-Rucio-state')?.textContent).toBe(
      'Not available'
    );
    expect(row('calib')?.textContent).toContain('Not defined until');
    React.act(() => button('calib', 'Make available')!.click());
    expect(actions.makeAvailable).toHaveBeenCalledWith('calib');

    await React.act(() => controller.makeAvailable('calib'));
    expect(api.makeAvailableCalls).toEqual(['physics:run2024.calib']);
    expect(row('calib')?.querySelector('.jp-Rucio-state')?.textContent).toBe(
      'Replicating'
    );
    expect(row('calib')?.querySelector('progress')).not.toBeNull();
    view.unmount();
    controller.dispose();
  });

  it('shows an error with its reason', async () => {
    const { view, controller, row, kernel } = setUp();
    kernel.failWith = 'NameError: boom';
    await React.act(() => controller.attach('raw', 'physics:run2024.raw'));
    expect(row('raw')?.dataset.status).toBe('error');
    expect(
      row('raw')?.querySelector('.jp-Rucio-reason')?.textContent
    ).toContain('NameError: boom');
    view.unmount();
    controller.dispose();
  });

  it('shows attachments of another Rucio instance as such', async () => {
    const { view, controller, row, list } = setUp();
    React.act(() =>
      list.add({
        variable: 'far',
        did: 'physics:run2024.raw',
        instance: 'elsewhere',
        rucio_url: 'https://rucio.elsewhere.org'
      })
    );
    await flush();
    await flush();
    expect(row('far')?.dataset.status).toBe('other-instance');
    expect(row('far')?.textContent).toContain('Other Rucio instance');
    expect(row('far')?.textContent).toContain('https://rucio.elsewhere.org');
    view.unmount();
    controller.dispose();
  });

  it('offers re-inject, rename, insert as code cell and remove on every attachment', async () => {
    const { view, controller, button, actions } = setUp();
    await React.act(() => controller.attach('raw', 'physics:run2024.raw'));
    React.act(() => button('raw', 'Define again in the kernel')!.click());
    React.act(() => button('raw', 'Rename')!.click());
    React.act(() => button('raw', 'Insert as code cell')!.click());
    React.act(() => button('raw', 'Remove')!.click());
    expect(actions.inject).toHaveBeenCalledWith('raw');
    expect(actions.rename).toHaveBeenCalledWith('raw');
    expect(actions.insertCell).toHaveBeenCalledWith('raw');
    expect(actions.remove).toHaveBeenCalledWith('raw');
    const all = view.container.querySelector<HTMLButtonElement>(
      'button[aria-label="Define all again in the kernel"]'
    );
    React.act(() => all!.click());
    expect(actions.inject).toHaveBeenLastCalledWith();
    view.unmount();
    controller.dispose();
  });

  it('follows attachments that are removed', async () => {
    const { view, controller, row } = setUp();
    await React.act(() => controller.attach('raw', 'physics:run2024.raw'));
    React.act(() => controller.remove('raw'));
    expect(row('raw')).toBeNull();
    expect(view.container.textContent).toContain('No DIDs are attached');
    view.unmount();
    controller.dispose();
  });
});

describe('VariableNameField', () => {
  function field(
    language: 'python' | 'r' | 'julia' | null,
    taken: string[] = []
  ) {
    const onChange = jest.fn();
    const view = render(
      <VariableNameField
        did="physics:run2024.raw"
        initial="run2024_raw"
        language={language}
        taken={taken}
        trans={trans}
        onChange={onChange}
      />
    );
    const input = view.container.querySelector('input')!;
    const message = () =>
      view.container.querySelector('#jp-Rucio-variable-problem')?.textContent;
    return { view, input, message, onChange };
  }

  it('accepts the suggested name and says what the variable holds', () => {
    const { view, input, message } = field('python');
    expect(input.value).toBe('run2024_raw');
    expect(input.validity.valid).toBe(true);
    expect(message()).toBe(
      'A Python variable that will hold the paths of physics:run2024.raw.'
    );
    view.unmount();
  });

  it.each([
    ['python', 'lambda', 'lambda is a Python keyword.'],
    ['r', '_raw', 'An R name starts with a letter'],
    ['r', 'NULL', 'NULL is reserved in R.'],
    ['julia', 'begin', 'begin is reserved in Julia.'],
    ['python', 'taken', 'taken is already attached in this notebook.']
  ] as const)('refuses in %s: %s as it is typed', (language, name, problem) => {
    const { view, input, message, onChange } = field(language, ['taken']);
    type(input, name);
    expect(onChange).toHaveBeenLastCalledWith(name);
    expect(message()).toContain(problem);
    expect(input.validity.valid).toBe(false);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    type(input, 'fine_name');
    expect(input.validity.valid).toBe(true);
    view.unmount();
  });

  it('accepts R names with dots', () => {
    const { view, input } = field('r');
    type(input, 'raw.files');
    expect(input.validity.valid).toBe(true);
    view.unmount();
  });
});
