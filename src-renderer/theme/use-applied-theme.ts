/**
 * Applies the theme setting to the document: 'system' follows the OS (and follows it live when the
 * OS switches), 'dark'/'light' force it. Until settings arrive the OS preference is used.
 */
import { useEffect, useState } from 'react';
import type { Theme } from '@contract/studio-api';
import { recordStudioEvent } from '../test-hook/studio-test-hook';

export type ResolvedTheme = 'dark' | 'light';

export function resolveTheme(setting: Theme | undefined, prefersDark: boolean): ResolvedTheme {
  if (setting === 'dark' || setting === 'light') return setting;
  return prefersDark ? 'dark' : 'light';
}

function usePrefersDark(): boolean {
  const query = '(prefers-color-scheme: dark)';
  const [prefersDark, setPrefersDark] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setPrefersDark(list.matches);
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, []);
  return prefersDark;
}

export function useAppliedTheme(setting: Theme | undefined): ResolvedTheme {
  const resolved = resolveTheme(setting, usePrefersDark());
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = resolved;
    root.style.colorScheme = resolved;
    recordStudioEvent('ui:theme-applied', { theme: resolved, setting: setting ?? 'system' });
  }, [resolved, setting]);
  return resolved;
}
