import { nullTranslator } from '@jupyterlab/translation';
import React from 'react';

import { IAvailabilityEntry } from '../explore/availability';
import { AvailabilityView } from '../explore/AvailabilityView';
import { RucioApiError } from '../tokens';
import { expiryText } from '../explore/where';
import { availability } from './fakeApi';
import { render } from './render';

const trans = nullTranslator.load('jupyterlab_rucio');

function entry(change: Partial<IAvailabilityEntry>): IAvailabilityEntry {
  return {
    availability: null,
    loading: false,
    error: null,
    requesting: false,
    ...change
  };
}

function show(value: IAvailabilityEntry | undefined) {
  const onMakeAvailable = jest.fn();
  const view = render(
    <AvailabilityView
      entry={value}
      trans={trans}
      onMakeAvailable={onMakeAvailable}
      onRetry={jest.fn()}
    />
  );
  const state = view.container.querySelector('.jp-Rucio-state');
  const button = [...view.container.querySelectorAll('button')].find(
    b => b.textContent === 'Make available'
  );
  return { ...view, state, button, onMakeAvailable };
}

describe('AvailabilityView', () => {
  it.each([
    ['AVAILABLE', 'Available', false],
    ['NOT_AVAILABLE', 'Not available', true],
    ['REPLICATING', 'Replicating', false],
    ['STUCK', 'Stuck', false],
    ['PARTIALLY_AVAILABLE', 'Partially available', true],
    ['EMPTY', 'Collection is empty', false],
    ['ERROR', 'Something went wrong', false]
  ] as const)('shows %s as "%s"', (state, label, offersAction) => {
    const view = show(entry({ availability: availability(state) }));
    expect(view.state?.textContent).toBe(label);
    expect(view.container.firstElementChild?.getAttribute('data-state')).toBe(
      state
    );
    expect(!!view.button).toBe(offersAction);
    view.unmount();
  });

  it('shows replication progress as files done of total', () => {
    const view = show(
      entry({
        availability: availability('REPLICATING', {
          files_available: 1,
          files_total: 3
        })
      })
    );
    const bar = view.container.querySelector('progress')!;
    expect(bar.value).toBe(1);
    expect(bar.max).toBe(3);
    expect(view.container.textContent).toContain('1 of 3 files');
    view.unmount();
  });

  it("keeps Rucio's reason of an ERROR state in an expandable block", () => {
    const view = show(
      entry({
        availability: availability('ERROR', {
          message: 'RSE HUB_USERDISK is blocked for reading'
        })
      })
    );
    const details = view.container.querySelector('details')!;
    expect(details.querySelector('summary')?.textContent).toBe('Reason');
    expect(details.textContent).toContain('blocked for reading');
    view.unmount();
  });

  it('shows a failed check with its reason and no raw markup', () => {
    const view = show(
      entry({ error: new RucioApiError('Rucio did not answer in time', 504) })
    );
    expect(view.state?.textContent).toBe('Something went wrong');
    expect(view.container.textContent).toContain(
      'Rucio did not answer in time'
    );
    view.unmount();
  });

  it('disables "Make available" while the request runs', () => {
    const view = show(
      entry({ availability: availability('NOT_AVAILABLE'), requesting: true })
    );
    expect(view.button?.disabled).toBe(true);
    view.unmount();
  });

  it('calls back when "Make available" is clicked', () => {
    const view = show(entry({ availability: availability('NOT_AVAILABLE') }));
    React.act(() => view.button!.click());
    expect(view.onMakeAvailable).toHaveBeenCalledTimes(1);
    view.unmount();
  });

  it('links to the rule in the Rucio WebUI when one is configured', () => {
    const view = show(
      entry({
        availability: availability('REPLICATING', {
          rule: {
            id: 'abc',
            did: 'physics:x',
            rse_expression: 'HUB_USERDISK',
            state: 'REPLICATING',
            locks_ok: 0,
            locks_replicating: 2,
            locks_stuck: 0,
            expires_at: null,
            account: 'jdoe',
            webui_url: 'https://rucio-ui.example.org/rule?rule_id=abc'
          }
        })
      })
    );
    const link = view.container.querySelector('a')!;
    expect(link.href).toBe('https://rucio-ui.example.org/rule?rule_id=abc');
    expect(link.textContent).toBe('Open rule in Rucio WebUI');
    view.unmount();
  });

  it('shows where an available dataset is and the rule that keeps it', () => {
    const view = show(
      entry({
        availability: availability('AVAILABLE', {
          files_available: 3,
          location: {
            directory: '/hub/physics/run2024/raw',
            paths: ['a.dat', 'b.dat', 'c.dat'].map(
              f => `/hub/physics/run2024/raw/${f}`
            ),
            count: 3
          },
          rule: {
            id: 'abc',
            did: 'physics:run2024.raw',
            rse_expression: 'HUB_USERDISK',
            state: 'OK',
            locks_ok: 3,
            locks_replicating: 0,
            locks_stuck: 0,
            expires_at: null,
            account: 'root',
            webui_url: null
          }
        })
      })
    );
    const path = view.container.querySelector('.jp-Rucio-hub-path')!;
    expect(path.textContent).toBe('/hub/physics/run2024/raw');
    expect(
      view.container.querySelector('button[aria-label="Copy path"]')
    ).not.toBeNull();
    const files = view.container.querySelectorAll(
      '.jp-Rucio-location-files li'
    );
    expect([...files].map(li => li.textContent)).toEqual([
      'a.dat',
      'b.dat',
      'c.dat'
    ]);
    expect(view.container.querySelector('.jp-Rucio-rule')!.textContent).toBe(
      'Rule of root: OK, kept until deleted'
    );
    view.unmount();
  });

  it('shows a file by its own path', () => {
    const view = show(
      entry({
        availability: availability('AVAILABLE', {
          files_total: 1,
          files_available: 1,
          location: { directory: '/hub/s', paths: ['/hub/s/f.txt'], count: 1 }
        })
      })
    );
    expect(
      view.container.querySelector('.jp-Rucio-hub-path')!.textContent
    ).toBe('/hub/s/f.txt');
    expect(view.container.querySelector('.jp-Rucio-location-files')).toBeNull();
    view.unmount();
  });

  it('says when a rule expires', () => {
    const now = Date.parse('2026-12-02T00:00:00Z');
    expect(expiryText('2026-12-09T00:00:00Z', trans, now)).toBe(
      'expires 2026-12-09 (in 7 days)'
    );
    expect(expiryText('2026-12-01T00:00:00Z', trans, now)).toBe(
      'expired 2026-12-01'
    );
    expect(expiryText(null, trans, now)).toBe('kept until deleted');
  });

  it('shows a spinner while the first check runs', () => {
    const view = show(undefined);
    expect(view.container.textContent).toContain('Checking availability');
    expect(view.state).toBeNull();
    view.unmount();
  });
});
