/**
 * Metadata filters in Rucio's own syntax (`rucio did list --filter`): conditions
 * `key<op>value` joined by `,` (AND) and `;` (OR). The filter of a search is kept as that
 * text; the builder shows it as chips, one per AND-ed condition, and a filter with
 * alternatives as one chip per alternative. The server checks what Rucio would refuse.
 */

export const FILTER_OPERATORS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** One condition of the builder. */
export interface IFilterCondition {
  key: string;
  op: FilterOperator;
  value: string;
}

/** A metadata key the server suggests for a scope (dids/metadata-keys). */
export interface IMetadataKey {
  key: string;
  type: 'number' | 'text' | 'date' | 'boolean';
  examples: (string | number | boolean)[];
}

export interface IMetadataKeys {
  scope: string;
  columns: IMetadataKey[];
  json: IMetadataKey[];
  sampled: number;
  complete: boolean;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Longest operators first, as Rucio's tokeniser reads them. */
const CONDITION =
  /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|==|!=|<|>|=)\s*(.*?)\s*$/;

/** Splits a filter into its alternatives (OR), each a list of conditions (AND). */
export function splitFilter(text: string): string[][] {
  return text
    .split(';')
    .map(group =>
      group
        .split(',')
        .map(clause => clause.trim())
        .filter(clause => clause !== '')
    )
    .filter(group => group.length > 0);
}

/** The filter text of alternatives, normalised (no empty parts, no stray spaces). */
export function joinFilter(groups: string[][]): string {
  return groups
    .filter(group => group.length > 0)
    .map(group => group.join(','))
    .join(';');
}

export function normaliseFilter(text: string): string {
  return joinFilter(splitFilter(text));
}

/** A condition as text; null (with the reason) when it is not one. */
export function conditionText(
  condition: IFilterCondition
): { text: string } | { error: string } {
  const key = condition.key.trim();
  const value = condition.value.trim();
  if (!KEY.test(key)) {
    return { error: 'key' };
  }
  if (value === '' || /[,;]/.test(value)) {
    return { error: 'value' };
  }
  return { text: `${key}${condition.op}${value}` };
}

/** Parses one `key<op>value` condition (the text of a chip); null when it is not one. */
export function parseCondition(text: string): IFilterCondition | null {
  const match = CONDITION.exec(text);
  if (!match || match[3] === '' || /[<>=!]/.test(match[3].charAt(0))) {
    return null;
  }
  const op = (match[2] === '==' ? '=' : match[2]) as FilterOperator;
  return { key: match[1], op, value: match[3] };
}

/** Adds a condition to every alternative of the filter: (A;B),C is (A,C);(B,C). */
export function addCondition(filter: string, condition: string): string {
  const groups = splitFilter(filter);
  if (groups.length === 0) {
    return condition;
  }
  return joinFilter(
    groups.map(group =>
      group.includes(condition) ? group : [...group, condition]
    )
  );
}

/** The chips of a filter: its conditions, or its alternatives when it has several. */
export function filterChips(filter: string): string[] {
  const groups = splitFilter(filter);
  if (groups.length === 1) {
    return groups[0];
  }
  return groups.map(group => group.join(','));
}

/** The filter without the chip at `index` (of `filterChips`). */
export function removeChip(filter: string, index: number): string {
  const groups = splitFilter(filter);
  if (groups.length === 1) {
    return joinFilter([groups[0].filter((_, i) => i !== index)]);
  }
  return joinFilter(groups.filter((_, i) => i !== index));
}

/** Quotes a word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_.:/*=,<>+@%-]+$/.test(word) && !/[*<>]/.test(word)
    ? word
    : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `rucio did list` command line of a search: `rucio did list` lists collections unless
 * the filter gives a type, so the type of the search goes into the filter.
 */
export function rucioCommand(
  did: string,
  type: string,
  filter: string
): string {
  let text = normaliseFilter(filter);
  if (!splitFilter(text).some(group => group.some(c => /^type\s*=/.test(c)))) {
    text = addCondition(text, `type=${type}`);
  }
  return `rucio did list --filter ${shellQuote(text)} ${shellQuote(did)}`;
}

/** The keys to offer for a scope: JSON keys seen there first, then the DID columns. */
export function suggestedKeys(keys: IMetadataKeys | null): IMetadataKey[] {
  if (!keys) {
    return [];
  }
  const used = keys.columns.filter(k => k.examples.length > 0);
  const rest = keys.columns.filter(k => k.examples.length === 0);
  return [...keys.json, ...used, ...rest].filter(
    (k, i, all) => all.findIndex(o => o.key === k.key) === i
  );
}

/** A metadata value as filter text: text that Rucio would read as a number is quoted. */
export function valueText(value: unknown, isText: boolean): string {
  const text = String(value);
  if (isText && /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    return `'${text}'`;
  }
  return text;
}
