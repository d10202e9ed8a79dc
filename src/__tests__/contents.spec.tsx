import { nullTranslator } from '@jupyterlab/translation';
import React from 'react';

import { CONTENT_ROW_HEIGHT, DidDetail } from '../explore/DidRow';
import { PagedDids } from '../explore/search';
import { FakeApi } from './fakeApi';
import { flush, render } from './render';

const trans = nullTranslator.load('jupyterlab_rucio');

/** A dataset's contents with `loaded` of its `total` files loaded, page by page. */
async function contentsOf(total: number, loaded: number): Promise<PagedDids> {
  const api = new FakeApi(total);
  const contents = new PagedDids(100);
  await contents.reset(page => api.contents('bulk:big', page));
  while (contents.items.length < loaded && contents.hasMore) {
    await contents.loadMore();
  }
  return contents;
}

function detail(contents: PagedDids): React.ReactElement {
  return (
    <DidDetail
      did="bulk:big"
      isCollection={true}
      entry={undefined}
      contents={contents}
      trans={trans}
      onMakeAvailable={jest.fn()}
      onRetry={jest.fn()}
      onShowFiles={jest.fn()}
    />
  );
}

/** The detail of a dataset with `contents` rendered, and its list of files. */
function shown(contents: PagedDids) {
  const view = render(detail(contents));
  const list = view.container.querySelector<HTMLElement>(
    '[aria-label="Contents"]'
  )!;
  return { view, list };
}

/** Scrolls the list to `top` the way the browser does: the scroller's position, then a
 * scroll event. */
function scrollTo(list: HTMLElement, top: number): void {
  const view = list.parentElement!;
  const padding = (side: 'paddingTop' | 'paddingBottom') =>
    parseFloat(list.style[side] || '0');
  Object.defineProperty(view, 'clientHeight', {
    configurable: true,
    value: 132
  });
  Object.defineProperty(view, 'scrollHeight', {
    configurable: true,
    value:
      padding('paddingTop') +
      padding('paddingBottom') +
      list.querySelectorAll('li').length * CONTENT_ROW_HEIGHT
  });
  view.scrollTop = top;
  React.act(() => {
    view.dispatchEvent(new Event('scroll'));
  });
}

describe("A collection's contents", () => {
  it('keeps only the files in view in the DOM, with the height of all of them', async () => {
    const contents = await contentsOf(10000, 10000);
    expect(contents.items).toHaveLength(10000);
    const { view, list } = shown(contents);
    const files = () => [...list.querySelectorAll('li')];
    expect(files().length).toBeLessThanOrEqual(20);
    expect(files()[0].dataset.did).toBe('bulk:sample.00000.dat');
    expect(files()[0].getAttribute('aria-setsize')).toBe('10000');
    const height = () =>
      parseFloat(list.style.paddingTop || '0') +
      parseFloat(list.style.paddingBottom || '0') +
      files().length * CONTENT_ROW_HEIGHT;
    expect(height()).toBe(10000 * CONTENT_ROW_HEIGHT);

    // Half way down: the files there, and still as few in the DOM.
    scrollTo(list, 5000 * CONTENT_ROW_HEIGHT);
    const names = files().map(li => li.dataset.did);
    expect(names).toContain('bulk:sample.05000.dat');
    expect(names).not.toContain('bulk:sample.00000.dat');
    expect(files().length).toBeLessThanOrEqual(30);
    expect(files()[0].getAttribute('aria-posinset')).toBe(
      String(Number(names[0]!.slice(-9, -4)) + 1)
    );
    expect(height()).toBe(10000 * CONTENT_ROW_HEIGHT);

    // The end.
    scrollTo(list, 10000 * CONTENT_ROW_HEIGHT - 132);
    expect(files().pop()!.dataset.did).toBe('bulk:sample.09999.dat');
    view.unmount();
  });

  it('loads the next page when the view nears the end of the files loaded', async () => {
    const contents = await contentsOf(10000, 1);
    expect(contents.items).toHaveLength(100);
    const { view, list } = shown(contents);
    scrollTo(list, 100 * CONTENT_ROW_HEIGHT - 132);
    await flush();
    // The second page is twice the first.
    expect(contents.items).toHaveLength(300);
    expect(contents.items[299].name).toBe('sample.00299.dat');
    view.unmount();
  });
});
