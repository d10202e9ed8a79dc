import { nullTranslator } from '@jupyterlab/translation';

import { AttachmentController, NoticeKind } from '../../notebook/controller';
import { NotebookAttachmentList } from '../../notebook/metadata';
import {
  fakeAuth,
  FakeKernel,
  FakeNotebookModel,
  instance,
  NotebookFakeApi,
  RUCIO_URL
} from './fakes';

const trans = nullTranslator.load('jupyterlab_rucio');
const RAW = 'physics:run2024.raw';
const HELLO = 'user.jdoe:scratch/hello.txt';
const CALIB = 'physics:run2024.calib';

function setUp() {
  const model = new FakeNotebookModel();
  const list = new NotebookAttachmentList(model);
  const kernel = new FakeKernel();
  const api = new NotebookFakeApi();
  api.available.add(RAW).add(HELLO);
  const auth = fakeAuth();
  const notices: [NoticeKind, string][] = [];
  const controller = new AttachmentController({
    list,
    kernel,
    api,
    auth,
    trans,
    pollSeconds: 1,
    onNotice: (kind, message) => notices.push([kind, message])
  });
  controller.active = true;
  return { model, list, kernel, api, auth, controller, notices };
}

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) {
      throw new Error('condition not met in time');
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

describe('AttachmentController', () => {
  it('defines an attached DID in the kernel by one silent execution', async () => {
    const { controller, kernel, api, model } = setUp();
    await controller.attach('raw', RAW);
    expect(api.codeCalls).toEqual([
      { language: 'python', instance: 'local', variables: ['raw'] }
    ]);
    expect(kernel.executed).toEqual([
      'raw = ["/hub/run2024.raw/a.dat","/hub/run2024.raw/b.dat"]\n'
    ]);
    expect(controller.state('raw')).toMatchObject({
      status: 'ready',
      count: 2
    });
    expect(controller.readyCount).toBe(1);
    expect(model.getMetadata('rucio')).toEqual({
      attachments: [
        { variable: 'raw', did: RAW, instance: 'local', rucio_url: RUCIO_URL }
      ]
    });
    controller.dispose();
  });

  it('defines every attachment again when a kernel is ready (start, restart, change)', async () => {
    const { controller, kernel, api } = setUp();
    await controller.attach('raw', RAW);
    await controller.attach('hello', HELLO);
    kernel.executed = [];
    kernel.kernelReady.emit();
    await waitFor(() => kernel.executed.length === 1);
    expect(api.codeCalls[api.codeCalls.length - 1].variables).toEqual([
      'raw',
      'hello'
    ]);
    expect(kernel.executed[0]).toContain('hello = ["/hub/scratch/hello.txt"]');
    controller.dispose();
  });

  it('leaves a DID that is not available undefined, says so, and defines it once available', async () => {
    const { controller, kernel, api, notices } = setUp();
    await controller.attach('calib', CALIB);
    expect(kernel.executed).toEqual([]);
    expect(controller.state('calib').status).toBe('not-available');
    expect(notices).toEqual([
      [
        'not-defined',
        'calib is not defined: its DID is not available at the hub yet.'
      ]
    ]);
    await waitFor(() => controller.state('calib').availability !== null);
    expect(controller.state('calib').availability?.state).toBe('NOT_AVAILABLE');

    await controller.makeAvailable('calib');
    expect(api.makeAvailableCalls).toEqual([CALIB]);
    expect(controller.state('calib').availability?.state).toBe('REPLICATING');
    api.finishTransfers();
    // The poll notices the DID is available and defines the variable.
    await waitFor(() => controller.state('calib').status === 'ready', 8000);
    expect(kernel.executed).toHaveLength(1);
    expect(kernel.executed[0]).toMatch(/^calib = /);
    controller.dispose();
  });

  it('does not resolve attachments of a Rucio this server does not have', async () => {
    const { controller, list, kernel, api, auth } = setUp();
    auth.instances = [
      instance('local'),
      instance('other', 'https://other.org')
    ];
    list.add({
      variable: 'a',
      did: RAW,
      instance: 'elsewhere',
      rucio_url: null
    });
    list.add({
      variable: 'b',
      did: RAW,
      instance: 'other',
      rucio_url: RUCIO_URL
    });
    list.add({ variable: 'c', did: RAW, instance: null, rucio_url: null });
    // Attachments that arrive through the metadata are defined without being asked.
    await waitFor(() => controller.state('c').status === 'ready');
    expect(controller.state('a').status).toBe('other-instance');
    expect(controller.state('a').message).toContain('elsewhere');
    expect(controller.state('b').status).toBe('other-instance');
    // Attachments of the older extension have no instance: the active one resolves them.
    expect(controller.state('c').status).toBe('ready');
    expect(api.codeCalls).toEqual([
      { language: 'python', instance: 'local', variables: ['c'] }
    ]);
    expect(kernel.executed).toHaveLength(1);
    controller.dispose();
  });

  it('tells that other kernel languages are not supported, and runs nothing', async () => {
    const { controller, kernel, api, notices } = setUp();
    kernel.languageName = 'bash';
    await controller.attach('raw', RAW);
    expect(controller.state('raw').status).toBe('unsupported');
    expect(controller.state('raw').message).toContain('not in bash');
    expect(notices[0][0]).toBe('unsupported');
    expect(api.codeCalls).toEqual([]);
    expect(kernel.executed).toEqual([]);
    controller.dispose();
  });

  it('waits for a kernel when the notebook has none', async () => {
    const { controller, kernel, api } = setUp();
    kernel.hasKernel = false;
    await controller.attach('raw', RAW);
    expect(controller.state('raw').status).toBe('waiting');
    expect(api.codeCalls).toEqual([]);
    kernel.hasKernel = true;
    kernel.kernelReady.emit();
    await waitFor(() => controller.state('raw').status === 'ready');
    controller.dispose();
  });

  it('reports what the kernel refused to run', async () => {
    const { controller, kernel } = setUp();
    kernel.failWith = 'SyntaxError: invalid syntax';
    await controller.attach('raw', RAW);
    expect(controller.state('raw')).toMatchObject({
      status: 'error',
      message: 'SyntaxError: invalid syntax'
    });
    controller.dispose();
  });

  it('checks names in the kernel language before asking the server', async () => {
    const { controller, kernel, list, api } = setUp();
    kernel.languageName = 'R';
    list.add({
      variable: '_x',
      did: RAW,
      instance: 'local',
      rucio_url: RUCIO_URL
    });
    await waitFor(() => controller.state('_x').status === 'error');
    expect(api.codeCalls).toEqual([]);
    controller.dispose();
  });

  it('renames and defines the new name', async () => {
    const { controller, kernel, list } = setUp();
    await controller.attach('raw', RAW);
    await controller.rename('raw', 'events');
    expect(list.variables).toEqual(['events']);
    expect(kernel.executed[kernel.executed.length - 1]).toMatch(/^events = /);
    expect(controller.state('events').status).toBe('ready');
    controller.remove('events');
    expect(controller.attachments).toEqual([]);
    controller.dispose();
  });

  it('writes the attachments as a code cell, or as text for other kernels', async () => {
    const { controller, kernel } = setUp();
    await controller.attach('raw', RAW);
    await controller.attach('calib', CALIB);
    const code = await controller.cellContent();
    expect(code).toEqual({
      cellType: 'code',
      source: 'raw = ["/hub/run2024.raw/a.dat","/hub/run2024.raw/b.dat"]\n',
      skipped: ['calib']
    });
    kernel.languageName = 'bash';
    const text = await controller.cellContent(['raw']);
    expect(text).toEqual({
      cellType: 'raw',
      source: `raw (${RAW}):\n/hub/run2024.raw/a.dat\n/hub/run2024.raw/b.dat`,
      skipped: []
    });
    controller.dispose();
  });

  it('retries what failed once the user is signed in again', async () => {
    const { controller, api, auth } = setUp();
    const send = api.send.bind(api);
    api.send = jest
      .fn()
      .mockRejectedValueOnce(
        Object.assign(new Error('No Rucio credentials'), { status: 401 })
      );
    await controller.attach('raw', RAW);
    expect(controller.state('raw').status).toBe('error');
    api.send = send;
    auth.status = 'no-credentials';
    auth.changed.emit();
    auth.status = 'connected';
    auth.changed.emit();
    await waitFor(() => controller.state('raw').status === 'ready');
    controller.dispose();
  });
});
