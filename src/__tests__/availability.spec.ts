import { AvailabilityTracker } from '../explore/availability';
import { ExploreModel } from '../explore/model';
import { FakeApi } from './fakeApi';

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

describe('AvailabilityTracker', () => {
  let tracker: AvailabilityTracker;
  afterEach(() => tracker?.dispose());

  it('moves to REPLICATING at once when asked to make a DID available', async () => {
    const api = new FakeApi();
    tracker = new AvailabilityTracker(api, 60);
    await tracker.refresh('user.jdoe:fresh');
    expect(tracker.get('user.jdoe:fresh')?.availability?.state).toBe(
      'NOT_AVAILABLE'
    );
    const request = tracker.makeAvailable('user.jdoe:fresh');
    expect(tracker.get('user.jdoe:fresh')?.availability?.state).toBe(
      'REPLICATING'
    );
    expect(tracker.get('user.jdoe:fresh')?.requesting).toBe(true);
    await request;
    expect(tracker.get('user.jdoe:fresh')?.requesting).toBe(false);
    expect(tracker.hasChanging).toBe(true);
  });

  it('polls a replicating DID while visible, until it is available', async () => {
    const api = new FakeApi();
    api.availabilityState = 'REPLICATING';
    tracker = new AvailabilityTracker(api, 0.02);
    tracker.visible = true;
    await tracker.refresh('physics:x');
    await sleep(150);
    expect(api.availabilityCalls).toBeGreaterThan(2);
    api.availabilityState = 'AVAILABLE';
    await sleep(100);
    expect(tracker.get('physics:x')?.availability?.state).toBe('AVAILABLE');
    const settled = api.availabilityCalls;
    await sleep(150);
    expect(api.availabilityCalls).toBe(settled);
  });

  it('stops polling while the panel is hidden', async () => {
    const api = new FakeApi();
    api.availabilityState = 'REPLICATING';
    tracker = new AvailabilityTracker(api, 0.02);
    tracker.visible = false;
    await tracker.refresh('physics:x');
    const before = api.availabilityCalls;
    await sleep(150);
    expect(api.availabilityCalls).toBe(before);
    tracker.visible = true;
    await sleep(150);
    expect(api.availabilityCalls).toBeGreaterThan(before);
  });
});

describe('ExploreModel', () => {
  it('loads availability when a DID is expanded and forgets it on a new instance', async () => {
    const api = new FakeApi(5);
    const model = new ExploreModel(api);
    model.instance = 'local';
    await model.runSearch('bulk:*', 'all');
    model.toggle('bulk:sample.00000.dat');
    expect(model.isExpanded('bulk:sample.00000.dat')).toBe(true);
    await sleep(0);
    expect(
      model.availability.get('bulk:sample.00000.dat')?.availability?.state
    ).toBe('NOT_AVAILABLE');
    model.instance = 'other';
    expect(model.isExpanded('bulk:sample.00000.dat')).toBe(false);
    expect(model.availability.get('bulk:sample.00000.dat')).toBeUndefined();
    expect(model.search.results.items).toHaveLength(0);
    model.dispose();
  });
});
