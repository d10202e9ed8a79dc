import { TranslationBundle } from '@jupyterlab/translation';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** Bytes in decimal units, as Rucio reports sizes: 48000 -> "48 kB". */
export function humanSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !isFinite(bytes)) {
    return '';
  }
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** A count with thousands separators: 1000 -> "1,000". */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** A local, human-readable time from an ISO 8601 stamp ('' when absent). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/**
 * The results count of a listing, one format everywhere: "3,033 results" when complete,
 * "1,000+ results" while more can be loaded.
 */
export function formatResultCount(
  count: number,
  more: boolean,
  trans: TranslationBundle
): string {
  return more
    ? trans.__('%1+ results', formatCount(count))
    : // _n passes the count itself as %1, so the formatted count is %2.
      trans._n('%2 result', '%2 results', count, formatCount(count));
}
