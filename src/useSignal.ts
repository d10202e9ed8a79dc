import { ISignal } from '@lumino/signaling';
import { useEffect, useReducer } from 'react';

/** Re-renders the component whenever `signal` is emitted; disconnects on unmount. */
export function useSignal<T>(signal: ISignal<T, unknown>): void {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const slot = () => rerender();
    signal.connect(slot);
    return () => {
      signal.disconnect(slot);
    };
  }, [signal]);
}
