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
