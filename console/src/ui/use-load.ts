import { useCallback, useEffect, useState } from 'preact/hooks';

/** Loads data for a screen: the value, the error, and `reload`. Re-runs when `deps` change. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): { value?: T; error?: unknown; reload: () => void } {
  const [state, setState] = useState<{ value?: T; error?: unknown }>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setState({ value }),
      (error: unknown) => current && setState({ error }),
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}
