import { CollectionSizes } from '../explore/sizes';
import { FakeApi } from './fakeApi';

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}

describe('CollectionSizes', () => {
  it('fetches the size of a collection once, when its row asks for it', async () => {
    const api = new FakeApi();
    const sizes = new CollectionSizes(api);
    let changes = 0;
    sizes.changed.connect(() => (changes += 1));

    expect(sizes.get('physics:run2024.raw')).toBeUndefined();
    expect(sizes.get('physics:run2024.raw')).toBeUndefined();
    await settle();

    expect(sizes.get('physics:run2024.raw')).toEqual({
      bytes: 4096,
      length: 4
    });
    expect(api.detailsCalls).toEqual(['physics:run2024.raw']);
    expect(changes).toBe(1);
  });

  it('asks only for rows drawn, a few at a time', async () => {
    const api = new FakeApi();
    const sizes = new CollectionSizes(api, 2);
    for (let i = 0; i < 5; i++) {
      sizes.get(`bulk:set.00${i}`);
    }
    // Two requests start at once; the others wait for a free slot.
    expect(api.detailsCalls).toHaveLength(2);
    await settle();
    await settle();
    expect(api.detailsCalls).toHaveLength(5);
    expect(new Set(api.detailsCalls).size).toBe(5);
  });

  it('does not ask for rows scrolled past before their turn', async () => {
    const api = new FakeApi();
    const sizes = new CollectionSizes(api, 2);
    // A fast scroll draws 10,000 collections before any answer is in.
    for (let i = 0; i < 10000; i++) {
      sizes.get(`bulk:set.${i}`);
    }
    // Every request the scroll left behind, until no more come.
    let made = -1;
    while (made !== api.detailsCalls.length) {
      made = api.detailsCalls.length;
      await settle();
    }
    // The two first rows (already asked for) and the last screens of rows, not every row.
    expect(api.detailsCalls.length).toBeLessThanOrEqual(2 + 64);
    expect(api.detailsCalls).toContain('bulk:set.9999');
    expect(api.detailsCalls).not.toContain('bulk:set.5000');
    // A row the user comes back to asks again, and gets its size.
    expect(sizes.get('bulk:set.5000')).toBeUndefined();
    await settle();
    expect(api.detailsCalls).toContain('bulk:set.5000');
  });

  it('forgets sizes when the instance changes', async () => {
    const api = new FakeApi();
    const sizes = new CollectionSizes(api);
    sizes.instance = 'one';
    sizes.get('physics:run2024');
    await settle();
    expect(sizes.get('physics:run2024')).toBeDefined();

    sizes.instance = 'two';
    expect(sizes.get('physics:run2024')).toBeUndefined();
    await settle();
    expect(api.detailsCalls).toEqual(['physics:run2024', 'physics:run2024']);
  });
});
