/**
 * DID names as a narrow sidebar shows them: the distinctive end of a long name stays
 * visible (`run2024/raw/events.0001.dat` -> `run2…events.0001.dat`), never only its start.
 */

export const ELLIPSIS = '…';

/** Share of the kept characters given to the end of the name. */
const TAIL_SHARE = 0.65;

const SEPARATORS = './_-:';

/**
 * `name` in at most `maxChars` characters, shortened in the middle. The end keeps about
 * two thirds of the room and, when a separator (`.`, `/`, `_`, `-`, `:`) is close, starts
 * just after it, so that what tells names apart (numbers, extensions) is kept whole.
 */
export function shortenMiddle(name: string, maxChars: number): string {
  const chars = Array.from(name);
  if (chars.length <= maxChars) {
    return name;
  }
  const room = Math.max(0, Math.floor(maxChars) - 1);
  if (room === 0) {
    return ELLIPSIS;
  }
  let tail = Math.max(1, Math.round(room * TAIL_SHARE));
  // Start the end at a separator boundary when one is within the first third of it.
  const window = Math.floor(tail / 3);
  for (let shorter = 0; shorter <= window && tail - shorter > 1; shorter++) {
    const start = chars.length - (tail - shorter);
    if (SEPARATORS.includes(chars[start - 1])) {
      tail -= shorter;
      break;
    }
  }
  const head = room - tail;
  return (
    chars.slice(0, head).join('') +
    ELLIPSIS +
    chars.slice(chars.length - tail).join('')
  );
}

/**
 * The longest middle-shortened form of `name` whose width (by `measure`, in pixels) is at
 * most `width`. The whole name when it fits; an ellipsis alone when nothing else does.
 */
export function shortenToFit(
  name: string,
  width: number,
  measure: (text: string) => number
): string {
  if (measure(name) <= width) {
    return name;
  }
  let low = 1;
  let high = Array.from(name).length - 1;
  let best = ELLIPSIS;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const candidate = shortenMiddle(name, mid);
    if (measure(candidate) <= width) {
      best = candidate;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return best;
}

/** What a row shows of a DID: its name alone when the list names the scope once above. */
export function rowName(scope: string, name: string, listScope: string | null) {
  return scope === listScope ? name : `${scope}:${name}`;
}
