import { SearchModel, parseDidQuery } from '../explore/search';
import { RucioApiError } from '../tokens';
import { FakeApi } from './fakeApi';

describe('SearchModel paging', () => {
  it('loads the first page and reports that more exist', async () => {
    const api = new FakeApi(250);
    const model = new SearchModel(api, 100);
    await model.search('bulk:*', 'file');
    expect(model.results.items).toHaveLength(100);
    expect(model.results.hasMore).toBe(true);
    expect(api.searchCalls[0]).toMatchObject({
      did: 'bulk:*',
      type: 'file',
      page: { limit: 100, cursor: null }
    });
  });

  it('appends pages with the cursor until the last one', async () => {
    const api = new FakeApi(650);
    const model = new SearchModel(api, 100);
    await model.search('bulk:*', 'all');
    await model.results.loadMore();
    expect(api.searchCalls[1].page.cursor).toBe('100');
    await model.results.loadMore();
    expect(api.searchCalls[2].page.cursor).toBe('300');
    expect(model.results.items).toHaveLength(650);
    expect(model.results.items[649].name).toBe('sample.00649.dat');
    expect(model.results.hasMore).toBe(false);
    await model.results.loadMore();
    expect(api.searchCalls).toHaveLength(3);
  });

  it('appends each page in place and knows the scopes of the rows', async () => {
    const api = new FakeApi(1000);
    const model = new SearchModel(api, 100);
    await model.search('bulk:*', 'all');
    const items = model.results.items;
    expect([...model.results.scopes]).toEqual(['bulk']);
    await model.results.loadMore();
    // No copy of every row so far per page: the same array, grown.
    expect(model.results.items).toBe(items);
    expect(items).toHaveLength(300);
    // A new search starts a new list.
    await model.search('bulk:*', 'all');
    expect(model.results.items).not.toBe(items);
    expect(model.results.items).toHaveLength(100);
    await model.clear();
    expect(model.results.scopes.size).toBe(0);
  });

  it('never loads the same page twice while one is loading', async () => {
    const api = new FakeApi(500);
    const model = new SearchModel(api, 100);
    await model.search('bulk:*', 'all');
    await Promise.all([model.results.loadMore(), model.results.loadMore()]);
    expect(api.searchCalls).toHaveLength(2);
    expect(model.results.items).toHaveLength(300);
  });

  it('a new search cancels the one running: its answer is dropped', async () => {
    const api = new FakeApi(30);
    let release = () => {};
    api.gate = new Promise(resolve => (release = resolve));
    const model = new SearchModel(api, 10);
    const first = model.search('bulk:*', 'all');
    expect(model.results.loading).toBe(true);
    api.gate = null;
    api.total = 3;
    const second = model.search('physics:*', 'all');
    release();
    await Promise.all([first, second]);
    expect(model.query).toBe('physics:*');
    expect(model.results.items).toHaveLength(3);
    expect(model.results.error).toBeNull();
    expect(model.results.loading).toBe(false);
  });

  it('keeps the server message and status of a failure', async () => {
    const api = new FakeApi(10);
    api.failWith = new RucioApiError('No Rucio credentials saved', 401);
    const model = new SearchModel(api, 10);
    await model.search('bulk:*', 'all');
    expect(model.results.error?.message).toBe('No Rucio credentials saved');
    expect(model.results.error?.needsCredentials).toBe(true);
    expect(model.results.items).toHaveLength(0);
    expect(model.results.loaded).toBe(true);
  });

  it('uses a changed page size for the next page', async () => {
    const api = new FakeApi(1000);
    const model = new SearchModel(api, 10);
    await model.search('bulk:*', 'all');
    model.results.pageSize = 50;
    await model.results.loadMore();
    // The second page: twice the (new) size.
    expect(model.results.items).toHaveLength(110);
  });

  it('doubles the page while the user scrolls on, up to 1000, from the first page again on a new search', async () => {
    const api = new FakeApi(5000);
    const model = new SearchModel(api, 100);
    await model.search('bulk:*', 'all');
    for (let i = 0; i < 6; i++) {
      await model.results.loadMore();
    }
    expect(api.searchCalls.map(call => call.page.limit)).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000
    ]);
    expect(model.results.items).toHaveLength(4500);
    expect(model.results.items[4499].name).toBe('sample.04499.dat');
    await model.search('bulk:*', 'file');
    expect(api.searchCalls[7].page).toMatchObject({ limit: 100, cursor: null });
  });
});

describe('parseDidQuery', () => {
  it.each([
    ['physics:*', { scope: 'physics', name: '*' }],
    ['physics:run2024*', { scope: 'physics', name: 'run2024*' }],
    [
      ' physics:run2024/raw/events.0001.dat ',
      { scope: 'physics', name: 'run2024/raw/events.0001.dat' }
    ]
  ])('splits %s', (text, expected) => {
    expect(parseDidQuery(text)).toEqual(expected);
  });

  it.each(['physics', ':run', 'physics:', ''])('rejects %j', text => {
    expect(parseDidQuery(text)).toBeNull();
  });
});
