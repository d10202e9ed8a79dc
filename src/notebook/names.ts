/**
 * Variable names per kernel language, checked as the user types. The server checks the
 * same rules again (jupyterlab_rucio/codegen.py); src/__tests__/notebook/variableNames.json
 * holds the cases both sides are tested against.
 */
import { TranslationBundle } from '@jupyterlab/translation';

/** The kernel languages attachments can be defined in. */
export type KernelLanguage = 'python' | 'r' | 'julia';

export const KERNEL_LANGUAGES: KernelLanguage[] = ['python', 'r', 'julia'];

const ALIASES: Record<string, KernelLanguage> = {
  python: 'python',
  python3: 'python',
  python2: 'python',
  ipython: 'python',
  r: 'r',
  julia: 'julia'
};

/** The supported language a kernel reports (`python`, `R`, `julia`), or null. */
export function kernelLanguage(
  reported: string | null | undefined
): KernelLanguage | null {
  return ALIASES[(reported ?? '').trim().toLowerCase()] ?? null;
}

/** How each language is written for people: "Python", "R", "Julia". */
export function languageLabel(language: KernelLanguage): string {
  return { python: 'Python', r: 'R', julia: 'Julia' }[language];
}

const PYTHON_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else ' +
    'except finally for from global if import in is lambda nonlocal not or pass raise ' +
    'return try while with yield __debug__'
  ).split(' ')
);
const R_RESERVED = new Set(
  (
    'if else repeat while function for next break in TRUE FALSE NULL Inf NaN NA ' +
    'NA_integer_ NA_real_ NA_character_ NA_complex_'
  ).split(' ')
);
const JULIA_KEYWORDS = new Set(
  (
    'baremodule begin break catch const continue do else elseif end export false finally ' +
    'for function global if import let local macro module quote return struct true try ' +
    'using while public'
  ).split(' ')
);

const PYTHON_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const R_NAME = /^(?:[A-Za-z]|\.(?![0-9]))[A-Za-z0-9._]*$/;
const JULIA_NAME = /^[A-Za-z_][A-Za-z0-9_!]*$/;
const MAX_LENGTH = 100;

/**
 * Why `name` cannot hold an attachment in this language, or null when it can. With no
 * supported language (no kernel yet, or another language) the Python rules apply.
 */
export function checkVariableName(
  name: string,
  language: KernelLanguage | null,
  taken: readonly string[],
  trans: TranslationBundle
): string | null {
  if (!name) {
    return trans.__('Enter a variable name.');
  }
  if (name.length > MAX_LENGTH) {
    return trans.__('A variable name has at most %1 characters.', MAX_LENGTH);
  }
  const problem = languageProblem(name, language ?? 'python', trans);
  if (problem) {
    return problem;
  }
  if (taken.includes(name)) {
    return trans.__('%1 is already attached in this notebook.', name);
  }
  return null;
}

function languageProblem(
  name: string,
  language: KernelLanguage,
  trans: TranslationBundle
): string | null {
  switch (language) {
    case 'python':
      if (!PYTHON_NAME.test(name)) {
        return trans.__(
          'A Python name starts with a letter or _, followed by letters, digits or _.'
        );
      }
      return PYTHON_KEYWORDS.has(name)
        ? trans.__('%1 is a Python keyword.', name)
        : null;
    case 'r':
      if (!R_NAME.test(name)) {
        return trans.__(
          'An R name starts with a letter, or a dot not followed by a digit, followed by letters, digits, . or _.'
        );
      }
      return R_RESERVED.has(name) || /^\.\.(\.|[0-9]+)$/.test(name)
        ? trans.__('%1 is reserved in R.', name)
        : null;
    case 'julia':
      if (!JULIA_NAME.test(name)) {
        return trans.__(
          'A Julia name starts with a letter or _, followed by letters, digits, _ or !.'
        );
      }
      return JULIA_KEYWORDS.has(name) || /^_+$/.test(name)
        ? trans.__('%1 is reserved in Julia.', name)
        : null;
  }
}

/**
 * A variable name proposed for a DID: the last part of its name, as an identifier that
 * is valid in every supported language and not taken yet.
 */
export function suggestVariableName(
  did: string,
  taken: readonly string[]
): string {
  const name = did.slice(did.indexOf(':') + 1);
  const last = name.split('/').filter(Boolean).pop() ?? name;
  let base = last
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  if (!/^[a-z]/.test(base)) {
    base = `data${base ? '_' + base : ''}`;
  }
  base = base.slice(0, 40);
  const reserved = (candidate: string) =>
    taken.includes(candidate) ||
    PYTHON_KEYWORDS.has(candidate) ||
    R_RESERVED.has(candidate) ||
    JULIA_KEYWORDS.has(candidate);
  let candidate = base;
  for (let index = 2; reserved(candidate); index++) {
    candidate = `${base}_${index}`;
  }
  return candidate;
}
