import { useEffect, useState } from 'react';

/**
 * A checkbox that answers at once: it shows the new value while the engine is asked, then settles on
 * what the engine saved (the old value if it refused). A change from elsewhere (event) shows too.
 */
export function useOptimisticToggle(saved: boolean, readSaved: () => boolean, save: (value: boolean) => Promise<unknown>): [boolean, (value: boolean) => void] {
  const [shown, setShown] = useState(saved);
  useEffect(() => setShown(saved), [saved]);
  const toggle = (value: boolean) => {
    setShown(value);
    void save(value).finally(() => setShown(readSaved()));
  };
  return [shown, toggle];
}
