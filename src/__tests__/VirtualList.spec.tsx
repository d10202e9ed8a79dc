import React from 'react';

import { humanSize } from '../format';
import { VirtualList } from '../explore/VirtualList';
import { render } from './render';

const LABEL = 'Search results';

function list(
  count: number,
  onNearEnd = jest.fn(),
  onActivate = jest.fn(),
  activeIndex = 4
) {
  const onActiveChange = jest.fn();
  const view = render(
    <VirtualList
      count={count}
      rowHeight={28}
      detailHeight={() => 100}
      keyOf={index => `row:${index}`}
      expanded={new Set([2])}
      activeIndex={activeIndex}
      label={LABEL}
      renderRow={index => (
        <>
          <div className="row">{`row ${index}`}</div>
          {index === 2 && <button className="detail" />}
        </>
      )}
      onActiveChange={onActiveChange}
      onActivate={onActivate}
      onNearEnd={onNearEnd}
    />
  );
  const listbox = view.container.querySelector('[role="tree"]')!;
  return { ...view, listbox, onNearEnd, onActiveChange, onActivate };
}

function press(view: ReturnType<typeof list>, name: string) {
  React.act(() => {
    view.listbox.dispatchEvent(
      new KeyboardEvent('keydown', { key: name, bubbles: true })
    );
  });
}

describe('VirtualList', () => {
  it('renders only the rows in view of 100,000', () => {
    const view = list(100000);
    const rows = view.container.querySelectorAll('.row');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(40);
    const canvas = view.listbox.firstElementChild as HTMLElement;
    // Full height: every row plus one expanded detail.
    expect(canvas.style.height).toBe(`${100000 * 28 + 100}px`);
    expect(view.onNearEnd).not.toHaveBeenCalled();
    view.unmount();
  });

  it('asks for the next page when the end is in view', () => {
    const view = list(10);
    expect(view.onNearEnd).toHaveBeenCalled();
    view.unmount();
  });

  it('places rows after an expanded one below its estimated detail', () => {
    const view = list(20);
    const slots = view.container.querySelectorAll<HTMLElement>(
      '.jp-Rucio-VirtualList-slot'
    );
    // An expanded row is as tall as its content: no fixed height to clip it.
    expect(slots[2].style.height).toBe('');
    expect(slots[1].style.height).toBe('28px');
    expect(slots[3].style.top).toBe(`${3 * 28 + 100}px`);
    view.unmount();
  });

  it('makes each row a tree item that holds what the row shows, details included', () => {
    const view = list(20);
    const items = [...view.listbox.querySelectorAll('[role="treeitem"]')];
    expect(items.length).toBe(20);
    // Nothing of a row is a child of the tree outside its item (axe: aria-required-children).
    expect(view.listbox.querySelectorAll('.row').length).toBe(20);
    expect(
      items.every(item => item.querySelectorAll('.row').length === 1)
    ).toBe(true);
    const open = view.listbox.querySelector('[aria-expanded="true"]')!;
    expect(open.getAttribute('aria-label')).toBe('row:2');
    // The expanded row's detail (a button here) is inside its item.
    expect(open.querySelector('button.detail')).not.toBeNull();
    expect(view.listbox.querySelectorAll('button.detail').length).toBe(1);
    expect(open.id).toBe('jp-Rucio-row-2');
    expect(
      view.listbox.querySelectorAll('[aria-expanded="false"]').length
    ).toBe(19);
    expect(view.listbox.querySelector('[aria-selected="true"]')!.id).toBe(
      'jp-Rucio-row-4'
    );
    view.unmount();
  });

  it('expands with Right and collapses with Left, like a tree', () => {
    // Row 4 is collapsed: Left does nothing, Right expands it.
    const collapsed = list(20, jest.fn(), jest.fn(), 4);
    press(collapsed, 'ArrowLeft');
    expect(collapsed.onActivate).not.toHaveBeenCalled();
    press(collapsed, 'ArrowRight');
    expect(collapsed.onActivate).toHaveBeenCalledWith(4);
    collapsed.unmount();
    // Row 2 is expanded: Right does nothing, Left collapses it.
    const open = list(20, jest.fn(), jest.fn(), 2);
    press(open, 'ArrowRight');
    expect(open.onActivate).not.toHaveBeenCalled();
    press(open, 'ArrowLeft');
    expect(open.onActivate).toHaveBeenCalledWith(2);
    open.unmount();
  });

  it('moves with the arrow keys and expands with Enter', () => {
    const view = list(20);
    const key = (name: string) => press(view, name);
    key('ArrowDown');
    expect(view.onActiveChange).toHaveBeenLastCalledWith(5);
    key('ArrowUp');
    expect(view.onActiveChange).toHaveBeenLastCalledWith(3);
    key('End');
    expect(view.onActiveChange).toHaveBeenLastCalledWith(19);
    key('Enter');
    expect(view.onActivate).toHaveBeenCalledWith(4);
    expect(view.listbox.getAttribute('aria-activedescendant')).toBe(
      'jp-Rucio-row-4'
    );
    view.unmount();
  });
});

function scrollTo(view: ReturnType<typeof list>, top: number) {
  React.act(() => {
    (view.listbox as HTMLElement).scrollTop = top;
    view.listbox.dispatchEvent(new Event('scroll', { bubbles: true }));
  });
}

function rowNodes(view: ReturnType<typeof list>): Map<string, Element> {
  return new Map(
    [...view.container.querySelectorAll('.row')].map(node => [
      node.textContent!,
      node
    ])
  );
}

/** The indices of the rows in the DOM, in the order of the DOM. */
function shownRows(view: ReturnType<typeof list>): number[] {
  return [...rowNodes(view).keys()].map(text => Number(text.split(' ')[1]));
}

describe('VirtualList while scrolling', () => {
  it('shows other rows in the nodes it has instead of replacing them', () => {
    const view = list(100000);
    const before = new Set(view.container.querySelectorAll('.row'));
    // Far down: every row in view is another one.
    scrollTo(view, 50000 * 28);
    const after = [...view.container.querySelectorAll('.row')];
    expect(after[0].textContent).not.toBe('row 0');
    expect(after.filter(node => before.has(node)).length).toBe(
      Math.min(before.size - 1, after.length)
    );
    view.unmount();
  });

  it('keeps the same nodes while the view cuts the rows at any offset', () => {
    const view = list(100000);
    const slots = () =>
      new Set(
        view.container.querySelectorAll(
          '.jp-Rucio-VirtualList-slot[aria-expanded="false"]'
        )
      );
    // Steps of 3 px down two rows: the 480 px view shows parts of 18 rows of 28 px, and of
    // 19 where less than 4 px of its top row is left; the list renders as many at every
    // offset.
    scrollTo(view, 999 * 28 + 100);
    scrollTo(view, 1000 * 28 + 100);
    const before = slots();
    for (let step = 1; step <= 20; step++) {
      scrollTo(view, 1000 * 28 + 100 + step * 3);
      const after = [...slots()];
      expect(after.length).toBe(before.size);
      expect(after.filter(node => !before.has(node)).length).toBe(0);
    }
    view.unmount();
  });

  it('keeps the nodes of rows that stay in view, in order', () => {
    const view = list(100000);
    scrollTo(view, 1000 * 28);
    const before = rowNodes(view);
    scrollTo(view, 1003 * 28);
    const after = rowNodes(view);
    for (const [text, node] of after) {
      if (before.has(text)) {
        expect(before.get(text)).toBe(node);
      }
    }
    const shown = shownRows(view);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    expect(shown).toContain(1003);
    view.unmount();
  });

  it('renders six rows ahead in the direction of the scroll and one behind', () => {
    const view = list(100000);
    // Row 2's detail (100 px) is above: row 1000 at the top of the 480 px view, reached by a
    // step of one row. The rows down to 1017 are in view; 1018 too, as the view holds 19
    // rows at other offsets.
    scrollTo(view, 999 * 28 + 100);
    scrollTo(view, 1000 * 28 + 100);
    let rows = shownRows(view);
    expect(1000 - Math.min(...rows)).toBe(1);
    expect(Math.max(...rows) - 1018).toBe(6);
    // Scrolling up: the rows ahead are above.
    scrollTo(view, 901 * 28 + 100);
    scrollTo(view, 900 * 28 + 100);
    rows = shownRows(view);
    expect(900 - Math.min(...rows)).toBe(6);
    expect(Math.max(...rows) - 918).toBe(1);
    view.unmount();
  });

  it('renders no rows ahead while each step of the scroll goes past them', () => {
    const view = list(100000);
    // Steps of two views (34 rows, 952 px; the view is 480 px): the next view starts below
    // the rows ahead.
    for (const top of [1000, 1034, 1068]) {
      scrollTo(view, top * 28 + 100);
      const rows = shownRows(view);
      expect(top - Math.min(...rows)).toBe(1);
      expect(Math.max(...rows)).toBe(top + 18);
    }
    // A step no longer than the view and the rows ahead (23 rows, 644 px) shows them again.
    scrollTo(view, 1091 * 28 + 100);
    expect(Math.max(...shownRows(view))).toBe(1091 + 18 + 6);
    // So does a step of one row after a long one.
    scrollTo(view, 2000 * 28 + 100);
    expect(Math.max(...shownRows(view))).toBe(2000 + 18);
    scrollTo(view, 2001 * 28 + 100);
    expect(Math.max(...shownRows(view))).toBe(2001 + 18 + 6);
    view.unmount();
  });

  it('keeps the expanded row its own node while collapsed rows move', () => {
    const view = list(100000);
    const open = rowNodes(view).get('row 2');
    scrollTo(view, 3 * 28);
    expect(rowNodes(view).get('row 2')).toBe(open);
    expect(view.container.querySelectorAll('[data-key="row:2"]').length).toBe(
      1
    );
    view.unmount();
  });
});

describe('humanSize', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [48000, '48.0 kB'],
    [144051, '144 kB'],
    [2_500_000_000, '2.50 GB'],
    [null, '']
  ])('%p bytes -> %p', (bytes, text) => {
    expect(humanSize(bytes)).toBe(text);
  });
});
