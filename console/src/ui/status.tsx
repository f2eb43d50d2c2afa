/** A release's or an artifact's state as a badge (text, not colour alone). */
export function Status(props: { value: string }) {
  return <span class={`status status-${props.value}`}>{props.value}</span>;
}

/** A labelled progress bar (the native element: its value is read out). */
export function ProgressBar(props: { label: string; value: number; max: number }) {
  const percent = props.max > 0 ? Math.round((props.value / props.max) * 100) : 0;
  return (
    <div class="progress">
      <progress value={props.value} max={props.max} aria-label={props.label} />
      <span aria-hidden="true">{percent} %</span>
    </div>
  );
}

/** A byte count for people. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A date-time for people (local time, to the minute). */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
