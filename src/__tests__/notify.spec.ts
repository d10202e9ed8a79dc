import { Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';

import { notifyError } from '../notify';
import { RucioApiError } from '../tokens';
import schema from '../../schema/plugin.json';

const trans = nullTranslator.load('jupyterlab_rucio');

describe('notifyError', () => {
  afterEach(() => Notification.dismiss());

  it('emits an error notification that says why, with a Details action', () => {
    const id = notifyError(
      trans,
      'Could not make physics:run2024 available',
      new RucioApiError('Rucio did not answer in time', 504)
    );
    const shown = Notification.manager.notifications.find(n => n.id === id)!;
    expect(shown.type).toBe('error');
    expect(shown.message).toBe(
      'Could not make physics:run2024 available: Rucio did not answer in time'
    );
    expect(shown.options.actions?.map(a => a.label)).toEqual(['Details']);
  });
});

describe('settings schema', () => {
  const properties = schema.properties as Record<
    string,
    {
      title?: string;
      description?: string;
      default?: unknown;
      oneOf?: { const: string }[];
    }
  >;

  it('documents every preference for the Settings Editor', () => {
    expect(Object.keys(properties).sort()).toEqual([
      'defaultSearchType',
      'pageSize',
      'pollingInterval'
    ]);
    for (const property of Object.values(properties)) {
      expect(property.title).toBeTruthy();
      expect(property.description).toBeTruthy();
      expect(property.default).not.toBeUndefined();
    }
  });

  it('offers the search types as oneOf/const choices', () => {
    expect(properties.defaultSearchType.oneOf?.map(o => o.const)).toEqual([
      'all',
      'collection',
      'dataset',
      'container',
      'file'
    ]);
  });
});
