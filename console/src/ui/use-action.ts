import { useState } from 'preact/hooks';
import { errorText } from './notice.js';
import type { Outcome } from './secret.js';

/**
 * One action at a time on a screen: which is busy, and what the last one said. `run` calls the
 * action, shows its success text (or the server's error), and resolves either way.
 */
export function useAction(): { busy?: string; outcome: Outcome; run: (name: string, action: () => Promise<string>) => Promise<boolean> } {
  const [busy, setBusy] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();
  const run = async (name: string, action: () => Promise<string>) => {
    setBusy(name);
    setOutcome(undefined);
    try {
      setOutcome({ kind: 'success', text: await action() });
      return true;
    } catch (e) {
      setOutcome({ kind: 'error', text: errorText(e) });
      return false;
    } finally {
      setBusy(undefined);
    }
  };
  return { busy, outcome, run };
}
