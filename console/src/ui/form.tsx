import type { ComponentChildren, TargetedEvent } from 'preact';
import { useId } from 'preact/hooks';

type Changed<T extends EventTarget> = (event: TargetedEvent<T, Event>) => void;

/** What a Field passes on to its input (a closed list: Preact's input types are a union per `type`). */
interface InputProps {
  value: string;
  type?: 'text' | 'password' | 'datetime-local' | 'number' | 'url';
  required?: boolean;
  disabled?: boolean;
  maxLength?: number;
  pattern?: string;
  placeholder?: string;
  autocomplete?: 'username' | 'current-password' | 'new-password' | 'off';
  onInput: Changed<HTMLInputElement>;
}

/** A labelled input with an optional hint, wired by id (label for=, aria-describedby). */
export function Field(props: { label: string; hint?: ComponentChildren } & InputProps) {
  const { label, hint, type = 'text', ...input } = props;
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {/* Preact types each input type apart; the attributes passed here are common to all of them. */}
      <input id={id} type={type as 'text'} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint ? (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

/** A labelled select of plain options (the empty option reads "any"). */
export function Select(props: { label: string; options: readonly string[]; value: string; onChange: Changed<HTMLSelectElement> }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={props.onChange}>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o || 'any'}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled checkbox. */
export function Check(props: { label: string; checked: boolean; disabled?: boolean; onChange: Changed<HTMLInputElement> }) {
  const id = useId();
  return (
    <div class="check">
      <input id={id} type="checkbox" checked={props.checked} disabled={props.disabled} onChange={props.onChange} />
      <label for={id}>{props.label}</label>
    </div>
  );
}

/** A button; `busy` disables it and says so to assistive technology. */
export function Button(props: {
  children: ComponentChildren;
  busy?: boolean;
  disabled?: boolean;
  variant?: 'primary' | 'danger' | 'plain';
  type?: 'button' | 'submit';
  onClick?: () => void;
}) {
  const { busy, variant = 'plain', type = 'button' } = props;
  return (
    <button
      type={type}
      class={`button button-${variant}`}
      disabled={busy || props.disabled}
      aria-busy={busy ? 'true' : undefined}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  );
}
