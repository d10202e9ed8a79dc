import { RefObject, useEffect } from 'react';

/**
 * Calls `onResize` with the element of `ref` whenever its size changes (and once it is laid
 * out). Nothing happens where ResizeObserver does not exist (jsdom).
 */
export function useResized<T extends Element>(
  ref: RefObject<T>,
  onResize: (element: T) => void
): void {
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(() => onResize(element));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, onResize]);
}
