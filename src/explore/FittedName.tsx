import React, { useLayoutEffect, useMemo, useRef, useState } from 'react';

import { shortenToFit } from './names';

let context: CanvasRenderingContext2D | null | undefined;
let contextFont = '';
/** The advance of each character measured so far in `contextFont`. */
let advances = new Map<string, number>();

/** The canvas context, set to `font` (null where there is no canvas). */
function measuring(font: string): CanvasRenderingContext2D | null {
  if (context === undefined) {
    context = document.createElement('canvas').getContext('2d');
  }
  // Setting the font parses it: only when it changes.
  if (context && font !== contextFont) {
    context.font = font;
    contextFont = font;
    advances = new Map();
  }
  return context;
}

/** Width in pixels of `text` in `font` (a canvas measures without touching the layout). */
function textWidth(text: string, font: string): number {
  return measuring(font)?.measureText(text).width ?? 0;
}

/**
 * The sum of the advances of `text`'s characters in `font`, each measured once: what the
 * text takes without kerning or ligatures, which only narrow DID names (ASCII). A name
 * well inside its room by this sum is not measured: a list scrolling through thousands of
 * names would otherwise make the browser allocate a TextMetrics object for every row of
 * every frame, and collect them.
 */
function advanceSum(text: string, font: string): number {
  const canvas = measuring(font);
  if (!canvas) {
    return 0;
  }
  let sum = 0;
  for (const char of text) {
    let advance = advances.get(char);
    if (advance === undefined) {
      advance = canvas.measureText(char).width;
      advances.set(char, advance);
    }
    sum += advance;
  }
  return sum;
}

/** The room an element's text has, and the font it is drawn in. */
interface IRoom {
  width: number;
  font: string;
}

type RoomListener = (room: IRoom) => void;

/**
 * One ResizeObserver for every FittedName on the page: a list of results mounts and reuses
 * dozens of them per frame while it scrolls. The observer reports sizes after layout, so
 * neither the width (the entry's content box) nor the font (styles are up to date then)
 * forces a layout of its own.
 */
const listeners = new Map<Element, RoomListener>();
let sharedObserver: ResizeObserver | null = null;

function roomObserver(): ResizeObserver | null {
  if (sharedObserver === null && typeof ResizeObserver !== 'undefined') {
    sharedObserver = new ResizeObserver(entries => {
      for (const entry of entries) {
        const listener = listeners.get(entry.target);
        if (!listener) {
          continue;
        }
        const box = entry.contentBoxSize?.[0];
        const width = box ? box.inlineSize : entry.contentRect.width;
        // The shorthand `font` may come back empty: build it from its parts.
        const style = getComputedStyle(entry.target);
        const font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        listener({ width, font });
      }
    });
  }
  return sharedObserver;
}

/** `text` shortened in the middle to fit `room` (all of it while the room is unknown). */
function fitted(text: string, room: IRoom | null): string {
  if (!room || room.width <= 0) {
    return text;
  }
  // One pixel of slack: measured and laid-out widths round differently.
  const width = room.width - 1;
  // Clearly inside its room (a margin for kerning that widens, which few fonts have).
  if (advanceSum(text, room.font) * 1.02 + 1 <= width) {
    return text;
  }
  return shortenToFit(text, width, part => textWidth(part, room.font));
}

function sameRoom(a: IRoom | null, b: IRoom): boolean {
  return a !== null && Math.abs(a.width - b.width) < 0.5 && a.font === b.font;
}

export interface IFittedNameProps {
  text: string;
  className?: string;
}

/**
 * A name shortened in the middle to the width its element is given: the text on screen is
 * the text in the DOM, and the end of the name stays visible. The element must get its
 * width from the layout (e.g. `flex: 1 1 0`), not from its text.
 *
 * The width is what the shared ResizeObserver last reported: a new text in the same room
 * (a row of a scrolled list showing another DID) is fitted in the same render, and only a
 * change of the room renders the name again.
 */
export function FittedName(props: IFittedNameProps): JSX.Element {
  const node = useRef<HTMLSpanElement>(null);
  const text = useRef(props.text);
  text.current = props.text;
  const [room, setRoom] = useState<IRoom | null>(null);
  useLayoutEffect(() => {
    const element = node.current;
    const observer = roomObserver();
    if (!element || !observer) {
      return;
    }
    listeners.set(element, next => {
      setRoom(previous => (sameRoom(previous, next) ? previous : next));
      // The observer reports after layout and before paint, React renders the new room
      // only later: the text is fitted now, as that render will fit it, so that a name is
      // never painted unfitted in its room.
      const shown = fitted(text.current, next);
      if (element.textContent !== shown) {
        element.textContent = shown;
      }
    });
    observer.observe(element);
    return () => {
      observer.unobserve(element);
      listeners.delete(element);
    };
  }, []);
  const shown = useMemo(() => fitted(props.text, room), [props.text, room]);
  return (
    <span ref={node} className={props.className}>
      {shown}
    </span>
  );
}
