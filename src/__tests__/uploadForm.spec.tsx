import { nullTranslator } from '@jupyterlab/translation';
import React from 'react';

import { IUploadRequest } from '../upload/types';
import { UploadForm } from '../upload/UploadForm';
import { nameProblem, validate } from '../upload/validation';
import { flush, render, type } from './render';
import { FakeUploadApi, selection } from './uploadFakes';

const trans = nullTranslator.load('jupyterlab_rucio');
const wait = () =>
  React.act(() => new Promise(resolve => setTimeout(resolve, 350)));

describe('nameProblem', () => {
  it("accepts Rucio's names, with '/' inside", () => {
    expect(nameProblem('run/2024/file.0001.dat', trans)).toBeNull();
  });
  it.each([
    ['', 'required'],
    ['.hidden', 'start'],
    ['with space', 'Only'],
    ['a'.repeat(251), 'At most']
  ])('refuses %j', (name, words) => {
    expect(nameProblem(name, trans)).toContain(words);
  });
});

describe('validate', () => {
  const base = {
    rse: 'HUB_USERDISK',
    scope: 'user.jdoe',
    files: selection(10, 20).files,
    names: {},
    lifetimeDays: '',
    datasetMode: 'none' as const,
    dataset: ''
  };
  const context = {
    rses: new FakeUploadApi().rseList,
    scopes: ['user.jdoe'],
    existing: [],
    datasets: []
  };

  it('passes good choices', () => {
    expect(validate(base, context, trans).problems).toEqual([]);
  });
  it('refuses a selection larger than the quota left', () => {
    const result = validate(
      { ...base, rse: 'QUOTA_USERDISK', files: selection(600, 600).files },
      context,
      trans
    );
    expect(result.quota).toContain('1.20 kB');
    expect(result.quota).toContain('QUOTA_USERDISK');
  });
  it('flags twice-used names and names taken with other content', () => {
    const names = { 'data/f0.dat': 'same', 'data/f1.dat': 'same' };
    expect(validate({ ...base, names }, context, trans).names).toEqual({
      'data/f1.dat': 'Also used for data/f0.dat.'
    });
    const taken = {
      ...context,
      existing: [{ name: 'f0.dat', type: 'FILE', bytes: 99 }]
    };
    expect(validate(base, taken, trans).names['data/f0.dat']).toContain(
      'different content'
    );
    const same = {
      ...context,
      existing: [{ name: 'f0.dat', type: 'FILE', bytes: 10 }]
    };
    const result = validate(base, same, trans);
    expect(result.problems).toEqual([]);
    expect(result.notes['data/f0.dat']).toContain('same size');
  });
  it('checks lifetime and dataset', () => {
    const problems = (change: object) =>
      validate({ ...base, ...change }, context, trans).problems.join(' ');
    expect(problems({ lifetimeDays: '-1' })).toContain('lifetime');
    expect(problems({ datasetMode: 'new', dataset: 'bad name' })).toContain(
      'Dataset name'
    );
    expect(problems({ datasetMode: 'existing', dataset: 'x' })).toContain(
      'Pick an existing dataset'
    );
  });
});

describe('UploadForm', () => {
  it('explains invalid choices and sends nothing until they are fixed', async () => {
    const api = new FakeUploadApi();
    const requests: (IUploadRequest | null)[] = [];
    const { container, unmount } = render(
      <UploadForm
        api={api}
        selection={selection(10)}
        trans={trans}
        defaultRse="HUB_USERDISK"
        defaultLifetimeDays={7}
        onChange={request => requests.push(request)}
      />
    );
    await flush();
    await wait();
    expect(requests[requests.length - 1]).toEqual({
      files: [{ path: 'data/f0.dat', name: 'f0.dat' }],
      rse: 'HUB_USERDISK',
      scope: 'user.jdoe',
      lifetime_days: 7,
      dataset: null
    });
    const input = container.querySelector<HTMLInputElement>(
      'input[aria-label="DID name for data/f0.dat"]'
    )!;
    type(input, 'bad name');
    await flush();
    expect(requests[requests.length - 1]).toBeNull();
    const problems = container.querySelector('.jp-Rucio-upload-problems');
    expect(problems?.classList.contains('jp-mod-error')).toBe(true);
    expect(container.textContent).toContain('Only letters, digits');

    type(input, 'results/good.dat');
    await wait();
    expect(requests[requests.length - 1]?.files[0].name).toBe(
      'results/good.dat'
    );
    expect(api.calls).toContain('existing user.jdoe results/good.dat');
    expect(container.querySelector('.jp-mod-error')).toBeNull();
    unmount();
  });

  it('warns when the selection does not fit the quota of the chosen RSE', async () => {
    const api = new FakeUploadApi();
    const { container, unmount } = render(
      <UploadForm
        api={api}
        selection={selection(5000)}
        trans={trans}
        defaultRse="QUOTA_USERDISK"
        defaultLifetimeDays={null}
        onChange={() => undefined}
      />
    );
    await flush();
    expect(container.querySelector('[role="alert"]')?.textContent).toContain(
      'only 1.00 kB of your quota on QUOTA_USERDISK is left'
    );
    unmount();
  });
});
