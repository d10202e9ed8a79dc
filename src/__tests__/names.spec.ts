import {
  ELLIPSIS,
  rowName,
  shortenMiddle,
  shortenToFit
} from '../explore/names';

describe('shortenMiddle', () => {
  it('leaves names that fit alone', () => {
    expect(shortenMiddle('notes.dataset', 13)).toBe('notes.dataset');
    expect(shortenMiddle('', 3)).toBe('');
  });

  it('keeps the distinctive end of long names', () => {
    const names = [
      'run2024/raw/events.0001.dat',
      'run2024/raw/events.0002.dat',
      'run2024/raw/events.0003.dat'
    ];
    const shown = names.map(name => shortenMiddle(name, 16));
    // Every shortened name differs, fits, and ends as the name does.
    expect(new Set(shown).size).toBe(3);
    for (const [i, text] of shown.entries()) {
      expect(Array.from(text).length).toBeLessThanOrEqual(16);
      expect(text).toContain(ELLIPSIS);
      expect(text.startsWith('run')).toBe(true);
      expect(names[i].endsWith(text.split(ELLIPSIS)[1])).toBe(true);
      expect(text.endsWith(`000${i + 1}.dat`)).toBe(true);
    }
  });

  it('starts the kept end after a separator when one is close', () => {
    expect(shortenMiddle('uitest.1733112345678.123456/file_a.txt', 20)).toBe(
      'uitest.17…file_a.txt'
    );
    expect(shortenMiddle('run2024/raw/events.0001.dat', 16)).toBe(
      'run2024…0001.dat'
    );
    // No separator close: the end keeps its full share.
    expect(shortenMiddle('mixed/part.0004.dat', 12)).toBe('mixe…004.dat');
  });

  it('gives most of the room to the end', () => {
    const text = shortenMiddle('abcdefghijklmnopqrstuvwxyz', 11);
    expect(text).toBe('abc…tuvwxyz');
    expect(text.split(ELLIPSIS)[1].length).toBeGreaterThan(
      text.split(ELLIPSIS)[0].length
    );
  });

  it('shows at least an ellipsis and never cuts a character in two', () => {
    expect(shortenMiddle('abcdef', 1)).toBe(ELLIPSIS);
    expect(shortenMiddle('abcdef', 0)).toBe(ELLIPSIS);
    expect(shortenMiddle('α😀βγδεζηθ', 5)).toBe('α…ζηθ');
  });
});

describe('shortenToFit', () => {
  const perChar = (text: string) => Array.from(text).length * 7;

  it('is the longest shortened form within the width', () => {
    const name = 'run2024/raw/events.0001.dat';
    expect(shortenToFit(name, 1000, perChar)).toBe(name);
    const fitted = shortenToFit(name, 16 * 7, perChar);
    expect(fitted).toBe(shortenMiddle(name, 16));
    expect(perChar(fitted)).toBeLessThanOrEqual(16 * 7);
    expect(shortenToFit(name, 3, perChar)).toBe(ELLIPSIS);
  });
});

describe('rowName', () => {
  it('drops the scope only when the list names it', () => {
    expect(rowName('user.jdoe', 'notes.dataset', 'user.jdoe')).toBe(
      'notes.dataset'
    );
    expect(rowName('user.jdoe', 'notes.dataset', null)).toBe(
      'user.jdoe:notes.dataset'
    );
    expect(rowName('physics', 'x', 'user.jdoe')).toBe('physics:x');
  });
});
