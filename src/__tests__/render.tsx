import React from 'react';
import { createRoot, Root } from 'react-dom/client';

(
  globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
).IS_REACT_ACT_ENVIRONMENT = true;

/** Renders into a detached container; `act` flushes effects and state updates. */
export function render(element: React.ReactElement): {
  container: HTMLElement;
  root: Root;
  unmount: () => void;
} {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  React.act(() => root.render(element));
  return {
    container,
    root,
    unmount: () => {
      React.act(() => root.unmount());
      container.remove();
    }
  };
}

export async function flush(): Promise<void> {
  await React.act(async () => {
    await new Promise(resolve => setTimeout(resolve, 0));
  });
}

/** Sets an input's value the way React notices it. */
export function type(input: HTMLInputElement, value: string): void {
  const setter = Object.getOwnPropertyDescriptor(
    HTMLInputElement.prototype,
    'value'
  )!.set!;
  React.act(() => {
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
