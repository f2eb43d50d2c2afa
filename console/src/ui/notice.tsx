import type { ComponentChildren } from 'preact';

/** An error or a success line; errors are announced at once (role=alert), the rest politely. */
export function Notice(props: { kind: 'error' | 'success' | 'info'; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

/** What a failed call says, for a Notice. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Shown while a screen loads. */
export function Loading(props: { what?: string }) {
  return (
    <p class="loading" role="status">
      Loading{props.what ? ` ${props.what}` : ''}…
    </p>
  );
}

/** What the last action on a screen said (useAction's outcome), if anything. */
export function OutcomeNotice(props: { outcome: { kind: 'error' | 'success'; text: string } | undefined }) {
  return props.outcome ? <Notice kind={props.outcome.kind}>{props.outcome.text}</Notice> : null;
}
