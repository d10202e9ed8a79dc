import { nullTranslator } from '@jupyterlab/translation';
import React from 'react';

import { IAvailabilityEntry } from '../explore/availability';
import { AvailabilityView } from '../explore/AvailabilityView';
import { RucioApiError } from '../tokens';
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

  it('shows a spinner while the first check runs', () => {
    const view = show(undefined);
    expect(view.container.textContent).toContain('Checking availability');
    expect(view.state).toBeNull();
    view.unmount();
  });
});
