import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { DEFAULT_PREFERENCES, IExplorePreferences } from './explore/model';
import { SEARCH_TYPES, SearchType } from './tokens';

function clamp(value: unknown, min: number, max: number, fallback: number) {
  return typeof value === 'number' && isFinite(value)
    ? Math.min(max, Math.max(min, Math.round(value)))
    : fallback;
}

/** The user's preferences from the settings registry, with safe fallbacks. */
export function readPreferences(
  settings: ISettingRegistry.ISettings | null
): IExplorePreferences {
  if (!settings) {
    return { ...DEFAULT_PREFERENCES };
  }
  const type = settings.get('defaultSearchType').composite as SearchType;
  return {
    defaultSearchType: SEARCH_TYPES.includes(type)
      ? type
      : DEFAULT_PREFERENCES.defaultSearchType,
    pageSize: clamp(
      settings.get('pageSize').composite,
      10,
      1000,
      DEFAULT_PREFERENCES.pageSize
    ),
    pollingInterval: clamp(
      settings.get('pollingInterval').composite,
      1,
      600,
      DEFAULT_PREFERENCES.pollingInterval
    )
  };
}
