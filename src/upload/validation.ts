import { TranslationBundle } from '@jupyterlab/translation';

import { humanSize } from '../format';
import { IExistingName, ISelectedFile, IUploadRse } from './types';

/** Rucio's DID names (generic schema): letters, digits, '/', '.', '-', '_'. */
const DID_NAME = /^[/A-Za-z0-9][/A-Za-z0-9.\-_]*$/;
export const MAX_NAME_LENGTH = 250;
export const MAX_LIFETIME_DAYS = 36500;

/** Why a DID name is not acceptable to Rucio, or null when it is. */
export function nameProblem(
  name: string,
  trans: TranslationBundle
): string | null {
  if (!name) {
    return trans.__('A name is required.');
  }
  if (name.length > MAX_NAME_LENGTH) {
    return trans.__('At most %1 characters.', MAX_NAME_LENGTH);
  }
  if (!DID_NAME.test(name)) {
    return /^[/A-Za-z0-9]/.test(name)
      ? trans.__("Only letters, digits, '/', '.', '-' and '_' are allowed.")
      : trans.__('Must start with a letter, a digit or /.');
  }
  return null;
}

/** The form's choices, as the dialog holds them. */
export interface IUploadChoices {
  rse: string;
  scope: string;
  files: ISelectedFile[];
  /** DID name per file path. */
  names: Record<string, string>;
  /** '' for no lifetime, else a number of days. */
  lifetimeDays: string;
  datasetMode: 'none' | 'existing' | 'new';
  dataset: string;
}

/** What the dialog knows from the server. */
export interface IUploadContext {
  rses: IUploadRse[];
  scopes: string[];
  /** Names of the scope that exist in Rucio already (checked in bulk). */
  existing: IExistingName[];
  /** Datasets of the scope found by the dataset search. */
  datasets: string[];
}

export interface IValidation {
  /** Per file path: why its name cannot be used. */
  names: Record<string, string>;
  /** Per file path: a name that exists in Rucio with the same size (done if same content). */
  notes: Record<string, string>;
  /** Everything that stops the upload, in words. */
  problems: string[];
  /** The selection does not fit into the quota left on the chosen RSE. */
  quota: string | null;
}

export function validate(
  choices: IUploadChoices,
  context: IUploadContext,
  trans: TranslationBundle
): IValidation {
  const result: IValidation = {
    names: {},
    notes: {},
    problems: [],
    quota: null
  };
  if (!choices.rse) {
    result.problems.push(trans.__('Choose a destination RSE.'));
  }
  if (!choices.scope) {
    result.problems.push(trans.__('Choose a scope.'));
  }
  const existing = new Map(context.existing.map(e => [e.name, e]));
  const seen = new Map<string, string>();
  for (const file of choices.files) {
    const name = choices.names[file.path] ?? file.name;
    const problem = nameProblem(name, trans);
    const clash = existing.get(name);
    if (problem) {
      result.names[file.path] = problem;
    } else if (seen.has(name)) {
      result.names[file.path] = trans.__('Also used for %1.', seen.get(name)!);
    } else if (clash && (clash.type !== 'FILE' || clash.bytes !== file.bytes)) {
      result.names[file.path] = trans.__(
        '%1:%2 exists in Rucio with different content.',
        choices.scope,
        name
      );
    } else if (clash) {
      result.notes[file.path] = trans.__(
        'Exists in Rucio with the same size: counts as done if the content is the same.'
      );
    }
    seen.set(name, file.path);
  }
  const badNames = Object.keys(result.names).length;
  if (badNames) {
    result.problems.push(
      trans._n(
        '%1 file name needs a change.',
        '%1 file names need a change.',
        badNames
      )
    );
  }
  if (choices.lifetimeDays !== '') {
    const days = Number(choices.lifetimeDays);
    if (!isFinite(days) || days <= 0 || days > MAX_LIFETIME_DAYS) {
      result.problems.push(
        trans.__(
          'The lifetime must be between 0 and %1 days.',
          MAX_LIFETIME_DAYS
        )
      );
    }
  }
  if (choices.datasetMode !== 'none') {
    const problem = nameProblem(choices.dataset, trans);
    if (problem) {
      result.problems.push(trans.__('Dataset name: %1', problem));
    } else if (
      choices.datasetMode === 'existing' &&
      !context.datasets.includes(choices.dataset)
    ) {
      result.problems.push(trans.__('Pick an existing dataset from the list.'));
    } else if (choices.datasetMode === 'new' && existing.has(choices.dataset)) {
      result.problems.push(
        trans.__('%1:%2 exists already.', choices.scope, choices.dataset)
      );
    }
  }
  const rse = context.rses.find(r => r.name === choices.rse);
  const needed = choices.files
    .filter(f => !result.notes[f.path])
    .reduce((sum, f) => sum + f.bytes, 0);
  if (rse && rse.remaining_bytes !== null && needed > rse.remaining_bytes) {
    result.quota = trans.__(
      'The selection needs %1 but only %2 of your quota on %3 is left.',
      humanSize(needed),
      humanSize(rse.remaining_bytes),
      rse.name
    );
    result.problems.push(result.quota);
  }
  return result;
}

/** The lifetime in days for the request (null: no lifetime). */
export function lifetimeOf(choices: IUploadChoices): number | null {
  return choices.lifetimeDays === '' ? null : Number(choices.lifetimeDays);
}
