import { TranslationBundle } from '@jupyterlab/translation';

import { RucioApiError } from '../tokens';

/**
 * The errors of the Explore section and how long they stay: one at a time, gone at the
 * next thing the user does. Problems of the search box and failed searches are shown in
 * the section; failed actions (make available, …) are Notifications, never both.
 */

/** What the section shows under the search box. */
export type InlineError =
  | { kind: 'invalid'; text: string }
  | { kind: 'failed'; error: RucioApiError; query: string; more: boolean };

export interface IErrorState {
  readonly inline: InlineError | null;
  /** The id of the Notification of the last failed action, while it may be on screen. */
  readonly notification: string | null;
}

export type ErrorEvent =
  /** The user starts something new (a search, an action on a DID). */
  | { kind: 'action' }
  /** The search box refused what was typed, or a search failed. */
  | { kind: 'inline'; error: InlineError }
  /** An action failed and its Notification `id` was emitted. */
  | { kind: 'notified'; id: string };

export const NO_ERRORS: IErrorState = { inline: null, notification: null };

/** The state after `event`, and the Notification to dismiss (null for none). */
export function nextErrors(
  state: IErrorState,
  event: ErrorEvent
): { state: IErrorState; dismiss: string | null } {
  const dismiss = state.notification;
  switch (event.kind) {
    case 'action':
      return { state: NO_ERRORS, dismiss };
    case 'inline':
      return { state: { inline: event.error, notification: null }, dismiss };
    case 'notified':
      return {
        state: { inline: null, notification: event.id },
        dismiss: dismiss === event.id ? null : dismiss
      };
  }
}

const SCOPE = /^[A-Za-z0-9_.-]{1,25}$/;
const PATTERN = /^[/A-Za-z0-9*][/A-Za-z0-9.\-_*]*$/;
/** How many scopes an error names before "and N more". */
const NAMED_SCOPES = 5;

function scopesHint(
  scopes: readonly string[] | null,
  trans: TranslationBundle
): string {
  if (!scopes || scopes.length === 0) {
    return trans.__('Pick a scope from the Scope list.');
  }
  const named = scopes.slice(0, NAMED_SCOPES).join(', ');
  return scopes.length > NAMED_SCOPES
    ? trans.__(
        'Scopes you can search: %1 and %2 more (see the Scope list).',
        named,
        scopes.length - NAMED_SCOPES
      )
    : trans.__('Scopes you can search: %1.', named);
}

function unknownScope(
  scope: string,
  scopes: readonly string[] | null,
  trans: TranslationBundle
): string {
  return `${trans.__('There is no scope “%1”.', scope)} ${scopesHint(scopes, trans)}`;
}

/**
 * What is wrong with the text of the search box, in the user's words (null when it can
 * be searched). An unknown scope is caught here when the scopes are known.
 */
export function queryProblem(
  text: string,
  scopes: readonly string[] | null,
  trans: TranslationBundle
): string | null {
  const query = text.trim();
  const colon = query.indexOf(':');
  const example = scopes?.[0] ?? 'user.jdoe';
  if (!query) {
    return trans.__(
      'Type what to look for as SCOPE:NAME, e.g. %1:* for everything in %1.',
      example
    );
  }
  if (colon < 0) {
    if (scopes?.includes(query)) {
      return trans.__(
        'Add the name after the scope: %1:* lists everything in %1.',
        query
      );
    }
    return `${trans.__(
      'Searches need a scope: type SCOPE:NAME, e.g. %1:%2 (* matches any characters).',
      example,
      SCOPE.test(query) ? query : '*'
    )} ${scopesHint(scopes, trans)}`;
  }
  const scope = query.slice(0, colon);
  const name = query.slice(colon + 1);
  if (!SCOPE.test(scope)) {
    return `${trans.__(
      'The scope before the colon must be written out in full (no * or spaces), e.g. %1:%2.',
      example,
      name || '*'
    )} ${scopesHint(scopes, trans)}`;
  }
  if (scopes && scopes.length > 0 && !scopes.includes(scope)) {
    return unknownScope(scope, scopes, trans);
  }
  if (!name) {
    return trans.__(
      'Add a name after the colon: %1:* lists everything in %1.',
      scope
    );
  }
  if (!PATTERN.test(name)) {
    return trans.__(
      'A name may only contain letters, digits, / . - _ and * as wildcard, and cannot start with . - or _ (e.g. %1:run*).',
      scope
    );
  }
  return null;
}

/** What a failed search means, for the line under the search box. */
export function searchFailure(
  failed: { error: RucioApiError; query: string; more: boolean },
  scopes: readonly string[] | null,
  trans: TranslationBundle
): string {
  const { error, query } = failed;
  const scope = query.slice(0, Math.max(0, query.indexOf(':')));
  if (error.status === 404 && /scope/i.test(error.message)) {
    return unknownScope(scope, scopes, trans);
  }
  if (error.needsCredentials) {
    return trans.__(
      'Rucio did not accept your credentials: sign in again in Settings.'
    );
  }
  if (error.status === 403) {
    return trans.__(
      'Your account may not list %1: %2',
      scope || query,
      error.message
    );
  }
  if (/wildcard searches are disabled/i.test(error.message)) {
    return trans.__(
      'Wildcards (*) are switched off on this Rucio instance: type a full name, e.g. %1:run2024.raw.',
      scope || 'physics'
    );
  }
  if (error.status === 0 || error.status >= 500) {
    return failed.more
      ? trans.__(
          'Could not load more results (%1). Search again to retry.',
          error.message
        )
      : trans.__(
          'Rucio did not answer the search (%1). Try again in a moment.',
          error.message
        );
  }
  return trans.__('Rucio refused the search: %1', error.message);
}

/** The text of an inline error. */
export function inlineErrorText(
  error: InlineError,
  scopes: readonly string[] | null,
  trans: TranslationBundle
): string {
  return error.kind === 'invalid'
    ? error.text
    : searchFailure(error, scopes, trans);
}
