import { nullTranslator } from '@jupyterlab/translation';
import React from 'react';

import { UploadsModel } from '../upload/model';
import { formatDuration, JobView, UploadsView } from '../upload/UploadsView';
import { IUploadJob } from '../upload/types';
import { flush, render } from './render';
import { FakeUploadApi, file, job } from './uploadFakes';

const trans = nullTranslator.load('jupyterlab_rucio');

function renderJob(shown: IUploadJob) {
  const acted: string[] = [];
  const view = render(
    <JobView
      job={shown}
      trans={trans}
      onCancel={id => acted.push(`cancel ${id}`)}
      onRetry={id => acted.push(`retry ${id}`)}
      onRemove={id => acted.push(`remove ${id}`)}
    />
  );
  const buttons = () =>
    Array.from(view.container.querySelectorAll('button'), b => b.textContent);
  return { ...view, acted, buttons };
}

describe('JobView', () => {
  it('shows bytes, speed and time left of a running job, and offers Cancel', () => {
    const running = job('UPLOADING', {
      files: [file('UPLOADING', { bytes: 4000000, bytes_done: 1000000 })],
      speed: 1000000
    });
    const { container, buttons, unmount } = renderJob(running);
    const bar = container.querySelector('[role="progressbar"]')!;
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(container.textContent).toContain('1.00 MB of 4.00 MB (25%)');
    expect(container.textContent).toContain('1.00 MB/s');
    expect(container.textContent).toContain('3 s left');
    expect(container.textContent).toContain('uploading');
    expect(buttons()).toEqual(['Cancel']);
    unmount();
  });

  it.each([
    ['DONE', ['Remove']],
    ['FAILED', ['Retry', 'Remove']],
    ['CANCELLED', ['Retry', 'Remove']],
    ['INTERRUPTED', ['Retry', 'Remove']]
  ] as const)('a %s job offers %j', (state, expected) => {
    const fileState = state === 'DONE' ? 'DONE' : state;
    const { buttons, unmount } = renderJob(
      job(state, { files: [file(fileState)] })
    );
    expect(buttons()).toEqual(expected);
    unmount();
  });

  it("shows each file's state and reason", () => {
    const failed = job('FAILED', {
      message: '1 of 2 files failed',
      files: [
        file('DONE', { did: 'user.jdoe:a', path: 'a' }),
        file('FAILED', {
          did: 'user.jdoe:b',
          path: 'b',
          message: 'quota exceeded on the RSE'
        })
      ]
    });
    const { container, unmount } = renderJob(failed);
    const rows = Array.from(
      container.querySelectorAll('.jp-Rucio-upload-job-file')
    );
    // The file that needs attention comes first.
    expect(rows.map(r => r.getAttribute('data-state'))).toEqual([
      'FAILED',
      'DONE'
    ]);
    expect(rows[0].textContent).toContain('quota exceeded on the RSE');
    unmount();
  });
});

describe('UploadsView', () => {
  it('lists the jobs from the server, newest first, and acts on them', async () => {
    const api = new FakeUploadApi();
    api.jobList = [
      job('DONE', { id: 'new' }),
      job('FAILED', { id: 'old', files: [file('FAILED')] })
    ];
    const model = new UploadsModel(api);
    model.instance = 'local';
    const { container, unmount } = render(
      <UploadsView model={model} trans={trans} onError={() => undefined} />
    );
    await flush();
    const jobs = container.querySelectorAll('.jp-Rucio-upload-job');
    expect(Array.from(jobs, j => j.getAttribute('data-job'))).toEqual([
      'new',
      'old'
    ]);
    const retry = Array.from(jobs[1].querySelectorAll('button')).find(
      b => b.textContent === 'Retry'
    )!;
    React.act(() => retry.click());
    await flush();
    expect(api.calls).toContain('retry old');
    model.dispose();
    unmount();
  });

  it('says how to start when there is no upload', async () => {
    const model = new UploadsModel(new FakeUploadApi());
    model.instance = 'local';
    const { container, unmount } = render(
      <UploadsView model={model} trans={trans} onError={() => undefined} />
    );
    await flush();
    expect(container.textContent).toContain('Upload to Rucio');
    model.dispose();
    unmount();
  });
});

describe('formatDuration', () => {
  it('reads naturally', () => {
    expect(formatDuration(0.2, trans)).toBe('1 s');
    expect(formatDuration(150, trans)).toBe('3 min');
    expect(formatDuration(7200, trans)).toBe('2.0 h');
  });
});
