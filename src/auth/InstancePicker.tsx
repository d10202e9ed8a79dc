import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';

import { IRucioAuth, RucioApiError } from '../tokens';

export interface IInstancePickerProps {
  auth: IRucioAuth;
  trans: TranslationBundle;
  onError: (summary: string, error: RucioApiError) => void;
  /** Show the picker even when only one instance is configured. */
  always?: boolean;
}

/** Switches the active Rucio instance; hidden when there is nothing to choose. */
export function InstancePicker(
  props: IInstancePickerProps
): JSX.Element | null {
  const { auth, trans } = props;
  if (auth.instances.length === 0) {
    return null;
  }
  if (auth.instances.length < 2 && !props.always) {
    return null;
  }
  const select = async (name: string) => {
    try {
      await auth.selectInstance(name);
    } catch (error) {
      props.onError(
        trans.__('Could not switch to %1', name),
        error as RucioApiError
      );
    }
  };
  return (
    <label className="jp-Rucio-field jp-Rucio-instance-picker">
      <span>{trans.__('Instance')}</span>
      <select
        className="jp-mod-styled"
        value={auth.activeName ?? ''}
        disabled={auth.instances.length < 2}
        onChange={event => select(event.target.value)}
      >
        {auth.instances.map(instance => (
          <option key={instance.name} value={instance.name}>
            {instance.display_name}
          </option>
        ))}
      </select>
    </label>
  );
}
