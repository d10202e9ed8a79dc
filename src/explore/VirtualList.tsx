import React, { useCallback, useEffect, useRef } from 'react';

import { useVirtualizer } from '@tanstack/react-virtual';

/** Rows rendered beyond the visible ones so that fast scrolling shows no gaps. */
const OVERSCAN = 6;
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
  /** What identifies the row at an index (its measured height stays with it). */
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
 * DIDs scrolls as smoothly as ten. Where the rows are is `@tanstack/react-virtual`'s: collapsed
 * rows have one fixed height, an expanded row is measured once rendered (an estimate stands in
 * until then).
 */
export function VirtualList(props: IVirtualListProps): JSX.Element {
  const { count, rowHeight, expanded, activeIndex } = props;
  const viewport = useRef<HTMLDivElement>(null);
  const slots = useRef(new Slots()).current;
  // The virtualizer computes every row's place again when its callbacks change: they read the
  // latest props through a ref and change only with the expanded rows.
  const latest = useRef(props);
  latest.current = props;
  const openKey = [...expanded]
    .filter(i => i < count)
    .sort((a, b) => a - b)
    .join(',');
  const estimateSize = useCallback(
    (index: number) =>
      latest.current.expanded.has(index)
        ? rowHeight + latest.current.detailHeight(index)
        : rowHeight,
    [openKey, rowHeight]
  );
  // A collapsed row is known by its index, an expanded one by its DID: a height measured
  // while expanded stays with the expanded DID.
  const getItemKey = useCallback(
    (index: number) =>
      latest.current.expanded.has(index)
        ? `did:${latest.current.keyOf(index)}`
        : index,
    [openKey]
  );
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => viewport.current,
    estimateSize,
    getItemKey,
    overscan: OVERSCAN,
    initialRect: { width: 0, height: FALLBACK_VIEWPORT }
  });
  const items = virtualizer.getVirtualItems();
  const last = items.length > 0 ? items[items.length - 1].index + 1 : 0;
  const height = virtualizer.scrollRect?.height || FALLBACK_VIEWPORT;

  const { onNearEnd } = props;
  useEffect(() => {
    if (count > 0 && last >= count - NEAR_END_ROWS) {
      onNearEnd();
    }
  }, [last, count, onNearEnd]);

  const scrollIntoView = (index: number) =>
    virtualizer.scrollToIndex(index, { align: 'auto' });

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
  // instead of replacing them. An expanded row keeps its DID as key: its detail goes with it.
  const slotOf = slots.assign(
    items.map(item => item.index).filter(index => !expanded.has(index))
  );
  const rows = items.map(item => {
    const open = expanded.has(item.index);
    const key = open ? props.keyOf(item.index) : null;
    return (
      <div
        key={key === null ? `slot:${slotOf.get(item.index)}` : `did:${key}`}
        ref={open ? virtualizer.measureElement : undefined}
        data-index={item.index}
        data-key={key ?? undefined}
        className="jp-Rucio-VirtualList-slot"
        style={{ top: item.start, height: open ? undefined : rowHeight }}
      >
        {props.renderRow(item.index, item.index === activeIndex)}
      </div>
    );
  });

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
    >
      <div
        className="jp-Rucio-VirtualList-canvas"
        style={{ height: virtualizer.getTotalSize() }}
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
