import React, { useLayoutEffect, useRef, useState } from 'react';

import { shortenToFit } from './names';

let context: CanvasRenderingContext2D | null | undefined;

/** Width in pixels of `text` in `font` (a canvas measures without touching the layout). */
function textWidth(text: string, font: string): number {
  if (context === undefined) {
    context = document.createElement('canvas').getContext('2d');
  }
  if (!context) {
    return 0;
  }
  context.font = font;
  return context.measureText(text).width;
}

export interface IFittedNameProps {
  text: string;
  className?: string;
}

/**
 * A name shortened in the middle to the width its element is given: the text on screen is
 * the text in the DOM, and the end of the name stays visible. The element must get its
 * width from the layout (e.g. `flex: 1 1 0`), not from its text.
 */
export function FittedName(props: IFittedNameProps): JSX.Element {
  const node = useRef<HTMLSpanElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = node.current;
    if (!element || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, []);
  let shown = props.text;
  if (width > 0 && node.current) {
    // The shorthand `font` may come back empty: build it from its parts.
    const style = getComputedStyle(node.current);
    const font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    // One pixel of slack: measured and laid-out widths round differently.
    shown = shortenToFit(props.text, width - 1, text => textWidth(text, font));
  }
  return (
    <span ref={node} className={props.className}>
      {shown}
    </span>
  );
}
