import { nullTranslator } from '@jupyterlab/translation';

import {
  inlineErrorText,
  nextErrors,
  NO_ERRORS,
  queryProblem,
  searchFailure
} from '../explore/errors';
import { ExploreModel } from '../explore/model';
import { formatResultCount } from '../format';
import { RucioApiError } from '../tokens';
import { FakeApi } from './fakeApi';

const trans = nullTranslator.load('jupyterlab_rucio');
const SCOPES = ['bulk', 'climate', 'physics', 'user.jdoe'];

describe('the error lifecycle', () => {
  const invalid = { kind: 'invalid' as const, text: 'Type SCOPE:NAME' };

  it('shows one inline error at a time, the newest', () => {
    let { state } = nextErrors(NO_ERRORS, { kind: 'inline', error: invalid });
    const second = { kind: 'invalid' as const, text: 'another' };
    ({ state } = nextErrors(state, { kind: 'inline', error: second }));
    expect(state).toEqual({ inline: second, notification: null });
  });

  it('clears everything at the next action and dismisses the Notification', () => {
    let { state } = nextErrors(NO_ERRORS, { kind: 'notified', id: 'n1' });
    expect(state).toEqual({ inline: null, notification: 'n1' });
    const next = nextErrors(state, { kind: 'action' });
    expect(next).toEqual({ state: NO_ERRORS, dismiss: 'n1' });
    ({ state } = nextErrors(NO_ERRORS, { kind: 'inline', error: invalid }));
    expect(nextErrors(state, { kind: 'action' })).toEqual({
      state: NO_ERRORS,
      dismiss: null
    });
  });

  it('never shows a failed action both inline and as a Notification', () => {
    let { state } = nextErrors(NO_ERRORS, { kind: 'inline', error: invalid });
    let dismiss: string | null;
    ({ state, dismiss } = nextErrors(state, { kind: 'notified', id: 'n2' }));
    expect(state.inline).toBeNull();
    expect(dismiss).toBeNull();
    // A newer failure replaces the older Notification.
    ({ state, dismiss } = nextErrors(state, { kind: 'notified', id: 'n3' }));
    expect(dismiss).toBe('n2');
    ({ state, dismiss } = nextErrors(state, {
      kind: 'inline',
      error: invalid
    }));
    expect(dismiss).toBe('n3');
    expect(state.notification).toBeNull();
  });

  it('a failed search is the error shown, and the next search leaves none', async () => {
    const api = new FakeApi(5);
    const model = new ExploreModel(api);
    api.failWith = new RucioApiError("Unknown scope 'nosuchscope'", 404);
    await model.runSearch('nosuchscope:*', 'all');
    const shown = model.errors.inline!;
    expect(shown.kind).toBe('failed');
    expect(inlineErrorText(shown, SCOPES, trans)).toBe(
      'There is no scope “nosuchscope”. Scopes you can search: bulk, climate, physics, user.jdoe.'
    );
    api.failWith = null;
    await model.runSearch('bulk:*', 'all');
    expect(model.errors).toEqual(NO_ERRORS);
    expect(model.search.results.items).toHaveLength(5);
  });

  it('a restored search expands the DIDs that were open', async () => {
    const model = new ExploreModel(new FakeApi(5));
    await model.runSearch('bulk:*', 'all', '', ['bulk:sample.00001.dat']);
    expect(model.expandedDids).toEqual(['bulk:sample.00001.dat']);
    await model.runSearch('bulk:*', 'all');
    expect(model.expandedDids).toEqual([]);
  });
});

describe('what the search box says instead of searching', () => {
  it('explains SCOPE:NAME when there is no scope', () => {
    expect(queryProblem('*', SCOPES, trans)).toBe(
      'Searches need a scope: type SCOPE:NAME, e.g. bulk:* (* matches any characters). Scopes you can search: bulk, climate, physics, user.jdoe.'
    );
    expect(queryProblem('run2024', null, trans)).toBe(
      'Searches need a scope: type SCOPE:NAME, e.g. user.jdoe:run2024 (* matches any characters). Pick a scope from the Scope list.'
    );
    expect(queryProblem('physics', SCOPES, trans)).toBe(
      'Add the name after the scope: physics:* lists everything in physics.'
    );
    expect(queryProblem('  ', SCOPES, trans)).toMatch(/^Type what to look for/);
  });

  it('names the scopes when the scope does not exist or has a wildcard', () => {
    const many = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect(queryProblem('nosuchscope:*', many, trans)).toBe(
      'There is no scope “nosuchscope”. Scopes you can search: a, b, c, d, e and 2 more (see the Scope list).'
    );
    expect(queryProblem('*:run*', SCOPES, trans)).toMatch(
      /^The scope before the colon must be written out in full \(no \* or spaces\), e\.g\. bulk:run\*\./
    );
  });

  it('accepts what Rucio can search, with or without the scopes known', () => {
    for (const query of ['physics:*', 'user.jdoe:notes/*', 'bulk:set.0*']) {
      expect(queryProblem(query, SCOPES, trans)).toBeNull();
      expect(queryProblem(query, null, trans)).toBeNull();
    }
    expect(queryProblem('physics:run 1', SCOPES, trans)).toMatch(
      /^A name may only contain/
    );
    expect(queryProblem('physics:', SCOPES, trans)).toBe(
      'Add a name after the colon: physics:* lists everything in physics.'
    );
  });

  it('words failures of the server for a scientist', () => {
    const failed = (message: string, status: number, more = false) =>
      searchFailure(
        { error: new RucioApiError(message, status), query: 'bulk:*', more },
        SCOPES,
        trans
      );
    expect(failed('Rucio did not answer in time', 504)).toBe(
      'Rucio did not answer the search (Rucio did not answer in time). Try again in a moment.'
    );
    expect(failed('timeout', 504, true)).toBe(
      'Could not load more results (timeout). Search again to retry.'
    );
    expect(failed('wildcard searches are disabled on Local', 400)).toMatch(
      /^Wildcards \(\*\) are switched off/
    );
    expect(failed('no token', 401)).toMatch(/sign in again in Settings/);
  });
});

describe('the results count', () => {
  it('uses one number format, complete or not', () => {
    expect(formatResultCount(1, false, trans)).toBe('1 result');
    expect(formatResultCount(3033, false, trans)).toBe('3,033 results');
    expect(formatResultCount(1000, true, trans)).toBe('1,000+ results');
    expect(formatResultCount(0, false, trans)).toBe('0 results');
  });
});
