import { useState } from 'preact/hooks';
import { Button } from './form.js';
import { Notice } from './notice.js';

/** Copies text to the clipboard; says whether it worked (a page without clipboard access asks to copy by hand). */
export function CopyButton(props: { text: string; label?: string }) {
  const [done, setDone] = useState<'copied' | 'failed'>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setDone('copied');
    } catch {
      setDone('failed');
    }
  };
  return (
    <span class="copy">
      <Button onClick={copy}>{props.label ?? 'Copy'}</Button>
      <span role="status" class="muted">
        {done === 'copied' ? 'Copied.' : done === 'failed' ? 'Select the text and copy it by hand.' : ''}
      </span>
    </span>
  );
}

/** A secret the server shows once (a token, a key): the value, a copy button, and the warning. */
export function ShownOnce(props: { what: string; value: string; onDone: () => void }) {
  return (
    <Notice kind="success">
      <p>Your new {props.what} (shown once: the server keeps only its hash, so copy it now):</p>
      <p>
        <code class="secret" data-secret="">
          {props.value}
        </code>
      </p>
      <CopyButton text={props.value} />
      <Button onClick={props.onDone}>I have copied it</Button>
    </Notice>
  );
}

/** The result of an action, for a Notice. */
export type Outcome = { kind: 'error' | 'success'; text: string } | undefined;
