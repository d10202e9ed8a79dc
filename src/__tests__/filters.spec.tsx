import React from 'react';
import { nullTranslator } from '@jupyterlab/translation';

import {
  addCondition,
  conditionText,
  filterChips,
  IMetadataKeys,
  normaliseFilter,
  parseCondition,
  removeChip,
  rucioCommand,
  splitFilter,
  suggestedKeys,
  valueText
} from '../explore/filters';
import { FilterBar } from '../explore/filtersBar';
import { DidMetadata } from '../explore/filtersMeta';
import { readSavedSearch } from '../explore/filtersState';
import { SearchModel } from '../explore/search';
import { FakeApi } from './fakeApi';
import { render, type } from './render';

const trans = nullTranslator.load('jupyterlab-rucio');

describe('filter text', () => {
  it('splits alternatives (;) into AND-ed conditions (,), dropping empty parts', () => {
    expect(
      splitFilter(' run_number>=1000 , datatype=AOD ;; instrument=LST-1,')
    ).toEqual([['run_number>=1000', 'datatype=AOD'], ['instrument=LST-1']]);
    expect(normaliseFilter(' a=1 ,, b=2 ; ')).toBe('a=1,b=2');
    expect(splitFilter('')).toEqual([]);
  });

  it('adds a condition to every alternative, once', () => {
    expect(addCondition('', 'a=1')).toBe('a=1');
    expect(addCondition('a=1', 'b>2')).toBe('a=1,b>2');
    expect(addCondition('a=1;c=3', 'b>2')).toBe('a=1,b>2;c=3,b>2');
    expect(addCondition('a=1,b>2', 'b>2')).toBe('a=1,b>2');
  });

  it('shows conditions as chips, or alternatives when there are several, and removes them', () => {
    expect(filterChips('a=1,b>2')).toEqual(['a=1', 'b>2']);
    expect(filterChips('a=1,b>2;c=3')).toEqual(['a=1,b>2', 'c=3']);
    expect(removeChip('a=1,b>2', 0)).toBe('b>2');
    expect(removeChip('a=1,b>2;c=3', 1)).toBe('a=1,b>2');
    expect(removeChip('a=1', 0)).toBe('');
  });

  it('builds a condition from the builder and refuses a bad key or value', () => {
    expect(
      conditionText({ key: ' run_number ', op: '>=', value: ' 1000 ' })
    ).toEqual({
      text: 'run_number>=1000'
    });
    expect(conditionText({ key: 'run number', op: '=', value: '1' })).toEqual({
      error: 'key'
    });
    expect(conditionText({ key: 'a', op: '=', value: '' })).toEqual({
      error: 'value'
    });
    expect(conditionText({ key: 'a', op: '=', value: 'x,y' })).toEqual({
      error: 'value'
    });
  });

  it('parses one condition, reading == as = and the longest operator first', () => {
    expect(parseCondition('run_number<=5')).toEqual({
      key: 'run_number',
      op: '<=',
      value: '5'
    });
    expect(parseCondition('name==run*')).toEqual({
      key: 'name',
      op: '=',
      value: 'run*'
    });
    expect(parseCondition('run_number=>5')).toBeNull();
    expect(parseCondition('run_number')).toBeNull();
  });

  it('copies as the rucio did list command, with the type in the filter', () => {
    expect(rucioCommand('bulk:*', 'dataset', 'run_number>=3010')).toBe(
      "rucio did list --filter 'run_number>=3010,type=dataset' 'bulk:*'"
    );
    expect(
      rucioCommand('physics:run2024', 'all', "type=container;a='x y'")
    ).toBe(
      `rucio did list --filter 'type=container;a='\\''x y'\\''' physics:run2024`
    );
  });

  it('quotes text values that Rucio would read as numbers', () => {
    expect(valueText('2', true)).toBe("'2'");
    expect(valueText(2, false)).toBe('2');
    expect(valueText('LST-1', true)).toBe('LST-1');
  });

  it('suggests JSON keys first, then columns with values, each key once', () => {
    const keys: IMetadataKeys = {
      scope: 'bulk',
      columns: [
        { key: 'campaign', type: 'text', examples: [] },
        { key: 'run_number', type: 'number', examples: [3000] }
      ],
      json: [{ key: 'instrument', type: 'text', examples: ['MAGIC'] }],
      sampled: 10,
      complete: true
    };
    expect(suggestedKeys(keys).map(k => k.key)).toEqual([
      'instrument',
      'run_number',
      'campaign'
    ]);
    expect(suggestedKeys(null)).toEqual([]);
  });

  it('reads a saved search only when it is whole', () => {
    expect(
      readSavedSearch({ query: 'bulk:*', type: 'dataset', filter: 'a=1' })
    ).toEqual({
      query: 'bulk:*',
      type: 'dataset',
      filter: 'a=1',
      expanded: []
    });
    expect(
      readSavedSearch({
        query: 'bulk:*',
        type: 'all',
        filter: '',
        expanded: ['bulk:set.001', 7]
      })?.expanded
    ).toEqual(['bulk:set.001']);
    expect(
      readSavedSearch({ query: 'bulk:*', type: 'bogus', filter: '' })
    ).toBeNull();
    expect(readSavedSearch(null)).toBeNull();
  });
});

describe('filtered search', () => {
  it('sends the filter with the search, and keeps it for the next search', async () => {
    const api = new FakeApi(0);
    api.routes['GET dids/search'] = () => ({
      items: [],
      next_cursor: null,
      has_more: false
    });
    const model = new SearchModel(api, 50);
    await model.search('bulk:*', 'dataset', undefined, 'run_number>=3010');
    expect(api.routeCalls[0]).toEqual({
      route: 'GET dids/search',
      input: expect.objectContaining({
        did: 'bulk:*',
        type: 'dataset',
        filter: 'run_number>=3010',
        limit: 50
      })
    });
    await model.search('bulk:set*', 'all');
    expect(api.routeCalls[1].input).toMatchObject({
      filter: 'run_number>=3010'
    });
    await model.search('bulk:*', 'all', undefined, '');
    expect(api.searchCalls).toHaveLength(1);
  });
});

describe('FilterBar', () => {
  it('builds a condition with the builder and removes a chip', () => {
    const changes: string[] = [];
    const view = render(
      <FilterBar
        trans={trans}
        filter="run_number>=3010"
        keys={null}
        command="rucio did list --filter 'run_number>=3010,type=all' 'bulk:*'"
        onChange={filter => changes.push(filter)}
        onKeysWanted={() => undefined}
      />
    );
    const chips = view.container.querySelectorAll('.jp-Rucio-filter-chip');
    expect([...chips].map(c => c.getAttribute('data-filter'))).toEqual([
      'run_number>=3010'
    ]);
    React.act(() =>
      view.container
        .querySelector<HTMLButtonElement>('.jp-Rucio-filter-toggle')!
        .click()
    );
    type(view.container.querySelector('.jp-Rucio-filter-key')!, 'instrument');
    type(view.container.querySelector('.jp-Rucio-filter-value')!, 'MAGIC');
    React.act(() =>
      view.container
        .querySelector<HTMLButtonElement>('.jp-Rucio-filter-add')!
        .click()
    );
    expect(changes).toEqual(['run_number>=3010,instrument=MAGIC']);
    React.act(() =>
      view.container
        .querySelector<HTMLButtonElement>('.jp-Rucio-filter-chip-remove')!
        .click()
    );
    expect(changes[1]).toBe('');
    view.unmount();
  });
});

describe('DidMetadata', () => {
  it('shows the metadata of both plugins and turns a value into a condition', () => {
    const conditions: string[] = [];
    const view = render(
      <DidMetadata
        entry={{
          error: null,
          details: {
            scope: 'bulk',
            name: 'set.010',
            did_type: 'DATASET',
            bytes: 1,
            length: 1,
            account: 'root',
            created_at: null,
            meta: { run_number: 3010, version: '2', md5: 'x', datatype: null },
            json_meta: { observing_night: '2023-01-11', nested: { a: 1 } }
          }
        }}
        trans={trans}
        onFilter={condition => conditions.push(condition)}
      />
    );
    const buttons = [
      ...view.container.querySelectorAll<HTMLButtonElement>(
        '.jp-Rucio-meta-value'
      )
    ];
    expect(buttons.map(b => b.dataset.key)).toEqual([
      'run_number',
      'version',
      'observing_night'
    ]);
    React.act(() => buttons.forEach(b => b.click()));
    expect(conditions).toEqual([
      'run_number=3010',
      "version='2'",
      'observing_night=2023-01-11'
    ]);
    view.unmount();
  });
});
