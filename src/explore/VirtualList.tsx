import React, { useEffect, useRef, useState } from 'react';

/** Rows rendered beyond the visible ones so that fast scrolling shows no gaps. */
const OVERSCAN = 6;
/** Ask for the next page when fewer than this many rows remain below the view. */
const NEAR_END_ROWS = 20;
/** Used until the list has been laid out (and in environments without layout). */
const FALLBACK_VIEWPORT = 480;

export interface IVirtualListProps {
  count: number;
  rowHeight: number;
  /** Extra height under an expanded row. */
  detailHeight: (index: number) => number;
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
 * A windowed list: only the rows in view are in the DOM, so a scope of 100,000 DIDs
 * scrolls as smoothly as ten. Rows have a fixed height; an expanded row adds a fixed
 * detail height, which keeps every offset computable without measuring.
 */
export function VirtualList(props: IVirtualListProps): JSX.Element {
  const { count, rowHeight, detailHeight, expanded, activeIndex } = props;
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_VIEWPORT);
  const sortedExpanded = [...expanded]
    .filter(i => i < count)
    .sort((a, b) => a - b);

  const offsetOf = (index: number) => {
    let offset = index * rowHeight;
    for (const open of sortedExpanded) {
      if (open >= index) {
        break;
      }
      offset += detailHeight(open);
    }
    return offset;
  };
  const heightOf = (index: number) =>
    rowHeight + (expanded.has(index) ? detailHeight(index) : 0);

  useEffect(() => {
    const node = viewport.current;
    if (!node || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(() => {
      setHeight(node.clientHeight || FALLBACK_VIEWPORT);
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

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
  const first = Math.max(0, low - OVERSCAN);
  let last = low;
  while (last < count && offsetOf(last) < scrollTop + height) {
    last += 1;
  }
  last = Math.min(count, last + OVERSCAN);

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
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const rows: JSX.Element[] = [];
  for (let index = first; index < last; index++) {
    rows.push(
      <div
        key={index}
        className="jp-Rucio-VirtualList-slot"
        style={{ top: offsetOf(index), height: heightOf(index) }}
      >
        {props.renderRow(index, index === activeIndex)}
      </div>
    );
  }

  return (
    <div
      ref={viewport}
      className="jp-Rucio-VirtualList"
      role="listbox"
      aria-label={props.label}
      aria-activedescendant={
        activeIndex >= 0 ? `jp-Rucio-row-${activeIndex}` : undefined
      }
      tabIndex={0}
      onKeyDown={onKeyDown}
      onScroll={event => setScrollTop(event.currentTarget.scrollTop)}
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
