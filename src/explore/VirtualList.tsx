import React, { useCallback, useEffect, useRef, useState } from 'react';

import { useResized } from '../useResized';

/**
 * Rows rendered beyond the visible ones, so that fast scrolling shows no gaps: ahead, in the
 * direction the list last scrolled, and one behind. Each row in the DOM is rendered, styled
 * and laid out again on every frame of a fast scroll, and what the browser allocates for
 * that is what makes it collect its heap during the scroll: the rows behind, which scroll out
 * of view, are not worth it, nor are the rows ahead while each step of the scroll goes past
 * them (a step longer than the view and the rows ahead: the next view starts below them).
 */
const OVERSCAN_AHEAD = 6;
const OVERSCAN_BEHIND = 1;
/** Ask for the next page when fewer than this many rows remain below the view. */
const NEAR_END_ROWS = 20;
/** Used until the list has been laid out (and in environments without layout). */
const FALLBACK_VIEWPORT = 480;

export interface IVirtualListProps {
  count: number;
  /** Height of a collapsed row (every collapsed row has it). */
  rowHeight: number;
  /** Extra height expected under an expanded row until it has been measured. */
  detailHeight: (index: number) => number;
  /** What identifies the row at an index (its measured height stays with it); also the
   * accessible name of its tree item. */
  keyOf: (index: number) => string;
  /** Indices of expanded rows. */
  expanded: ReadonlySet<number>;
  activeIndex: number;
  label: string;
  renderRow: (index: number, active: boolean) => React.ReactNode;
  onActiveChange: (index: number) => void;
  onActivate: (index: number) => void;
  onNearEnd: () => void;
}

/**
 * A tree of results, windowed: only the rows in view are in the DOM, so a scope of 100,000
 * DIDs scrolls as smoothly as ten. Collapsed rows have one fixed height; an expanded row is
 * as tall as its content, measured once rendered (an estimate stands in until then), so
 * offsets stay computable from the few expanded rows alone.
 */
export function VirtualList(props: IVirtualListProps): JSX.Element {
  const { count, rowHeight, detailHeight, keyOf, expanded, activeIndex } =
    props;
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_VIEWPORT);
  const measured = useMeasuredHeights();
  // The direction the list last scrolled (down first): where the rows ahead are; and
  // whether its last step went past them (then none are rendered).
  const lastTop = useRef(0);
  const down = useRef(true);
  const pastAhead = useRef(false);
  const slots = useRef(new Slots()).current;
  const sortedExpanded = [...expanded]
    .filter(i => i < count)
    .sort((a, b) => a - b);

  const heightOf = (index: number) =>
    expanded.has(index)
      ? (measured.heights.get(keyOf(index)) ?? rowHeight + detailHeight(index))
      : rowHeight;
  const offsetOf = (index: number) => {
    let offset = index * rowHeight;
    for (const open of sortedExpanded) {
      if (open >= index) {
        break;
      }
      offset += heightOf(open) - rowHeight;
    }
    return offset;
  };

  useResized(
    viewport,
    useCallback(
      (node: HTMLDivElement) =>
        setHeight(node.clientHeight || FALLBACK_VIEWPORT),
      []
    )
  );

  // The first row whose bottom edge is below the top of the view.
  let low = 0;
  let high = count;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (offsetOf(mid) + heightOf(mid) <= scrollTop) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  const ahead = pastAhead.current ? 0 : OVERSCAN_AHEAD;
  const first = Math.max(0, low - (down.current ? OVERSCAN_BEHIND : ahead));
  // As many rows at every offset as the view shows at its most (parts of one row more at
  // some offsets than at others; no row is shorter than a collapsed one): otherwise a
  // scroll would take a slot out of the DOM on one frame and build it anew on the next.
  const inView = Math.ceil(height / rowHeight) + 1;
  const last = Math.min(
    count,
    low + inView + (down.current ? ahead : OVERSCAN_BEHIND)
  );

  const { onNearEnd } = props;
  useEffect(() => {
    if (count > 0 && last >= count - NEAR_END_ROWS) {
      onNearEnd();
    }
  }, [last, count, onNearEnd]);

  const scrollIntoView = (index: number) => {
    const node = viewport.current;
    if (!node) {
      return;
    }
    const top = offsetOf(index);
    const bottom = top + heightOf(index);
    if (top < node.scrollTop) {
      node.scrollTop = top;
    } else if (bottom > node.scrollTop + node.clientHeight) {
      node.scrollTop = bottom - node.clientHeight;
    }
    setScrollTop(node.scrollTop);
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (count === 0) {
      return;
    }
    const pageRows = Math.max(1, Math.floor(height / rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + pageRows,
      PageUp: activeIndex - pageRows,
      Home: 0,
      End: count - 1
    };
    if (event.key in moves) {
      const next = Math.min(count - 1, Math.max(0, moves[event.key]));
      props.onActiveChange(next);
      scrollIntoView(next);
    } else if (event.key === 'Enter' || event.key === ' ') {
      props.onActivate(Math.max(0, activeIndex));
    } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      // Right opens the active row, Left closes it (the tree pattern of WAI-ARIA).
      const open = expanded.has(activeIndex);
      if (activeIndex >= 0 && open === (event.key === 'ArrowLeft')) {
        props.onActivate(activeIndex);
      }
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  // Collapsed rows are keyed by a slot that an index keeps while it stays in view and hands
  // on when it leaves, so that scrolling gives the rows in the DOM other DIDs to show
  // instead of replacing them. An expanded row keeps its DID as key: its measured height
  // and its detail go with it.
  const collapsed: number[] = [];
  for (let index = first; index < last; index++) {
    if (!expanded.has(index)) {
      collapsed.push(index);
    }
  }
  const slotOf = slots.assign(collapsed);
  const rows: JSX.Element[] = [];
  for (let index = first; index < last; index++) {
    const open = expanded.has(index);
    const key = open ? keyOf(index) : null;
    rows.push(
      <div
        key={key === null ? `slot:${slotOf.get(index)}` : `did:${key}`}
        ref={open ? measured.observe : undefined}
        data-key={key ?? undefined}
        className="jp-Rucio-VirtualList-slot"
        style={{ top: offsetOf(index), height: open ? undefined : rowHeight }}
        // The slot is the tree's item: what an expanded row shows under it (its details,
        // their buttons and lists) is inside the item, not a child of the tree.
        id={`jp-Rucio-row-${index}`}
        role="treeitem"
        aria-label={keyOf(index)}
        aria-selected={index === activeIndex}
        aria-expanded={open}
      >
        {props.renderRow(index, index === activeIndex)}
      </div>
    );
  }

  return (
    <div
      ref={viewport}
      className="jp-Rucio-VirtualList"
      role="tree"
      aria-label={props.label}
      aria-activedescendant={
        activeIndex >= 0 ? `jp-Rucio-row-${activeIndex}` : undefined
      }
      tabIndex={0}
      onKeyDown={onKeyDown}
      onScroll={event => {
        const top = event.currentTarget.scrollTop;
        if (top !== lastTop.current) {
          down.current = top > lastTop.current;
          pastAhead.current =
            Math.abs(top - lastTop.current) >
            height + OVERSCAN_AHEAD * rowHeight;
          lastTop.current = top;
        }
        setScrollTop(top);
      }}
    >
      <div
        className="jp-Rucio-VirtualList-canvas"
        style={{ height: offsetOf(count) }}
      >
        {rows}
      </div>
    </div>
  );
}

/**
 * The slots of the collapsed rows in view: an index keeps its slot from one render to the
 * next, and the slots of the indices that left go to the indices that came, lowest first.
 * There are never more slots than rows in view.
 */
class Slots {
  assign(indices: readonly number[]): ReadonlyMap<number, number> {
    const next = new Map<number, number>();
    const taken = new Set<number>();
    for (const index of indices) {
      const slot = this._slotOf.get(index);
      if (slot !== undefined) {
        next.set(index, slot);
        taken.add(slot);
      }
    }
    let free = 0;
    for (const index of indices) {
      if (!next.has(index)) {
        while (taken.has(free)) {
          free += 1;
        }
        next.set(index, free);
        taken.add(free);
      }
    }
    this._slotOf = next;
    return next;
  }

  private _slotOf: ReadonlyMap<number, number> = new Map();
}

/**
 * Heights of the expanded rows as laid out, by key: one ResizeObserver follows every
 * expanded slot, and a change of height renders the list again.
 */
function useMeasuredHeights(): {
  heights: ReadonlyMap<string, number>;
  observe: (node: HTMLElement | null) => void;
} {
  const heights = useRef(new Map<string, number>()).current;
  const [, setVersion] = useState(0);
  const observer = useRef<ResizeObserver | null>(null);
  const observed = useRef(new Set<HTMLElement>()).current;
  if (observer.current === null && typeof ResizeObserver !== 'undefined') {
    observer.current = new ResizeObserver(entries => {
      let changed = false;
      for (const entry of entries) {
        const node = entry.target as HTMLElement;
        const key = node.dataset.key;
        const size = node.offsetHeight;
        if (key && size > 0 && Math.abs((heights.get(key) ?? 0) - size) > 0.5) {
          heights.set(key, size);
          changed = true;
        }
      }
      if (changed) {
        setVersion(version => version + 1);
      }
    });
  }
  useEffect(() => () => observer.current?.disconnect(), []);
  const observe = useCallback((node: HTMLElement | null) => {
    // React calls a ref with null when the node goes: forget the nodes no longer attached.
    for (const old of observed) {
      if (!old.isConnected) {
        observer.current?.unobserve(old);
        observed.delete(old);
      }
    }
    if (node && !observed.has(node)) {
      observed.add(node);
      observer.current?.observe(node);
    }
  }, []);
  return { heights, observe };
}
