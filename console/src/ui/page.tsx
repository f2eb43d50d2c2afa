import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** Whether a screen has been shown since the page loaded (the first one leaves focus where the browser puts it). */
let shownOne = false;

/**
 * A screen's frame: its heading, actions and body. Moving to another screen focuses its heading, so
 * screen readers announce it and Tab continues from there; the first screen after a load does not
 * take focus, so the first Tab reaches the skip link.
 */
export function Page(props: { title: string; actions?: ComponentChildren; children: ComponentChildren; crumbs?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · OTA console`;
    if (shownOne) heading.current?.focus();
    shownOne = true;
  }, [props.title]);
  return (
    <section class="page" aria-labelledby="page-title">
      {props.crumbs ? (
        <nav class="crumbs" aria-label="Breadcrumb">
          {props.crumbs}
        </nav>
      ) : null}
      <header class="page-head">
        <h1 id="page-title" tabIndex={-1} ref={heading}>
          {props.title}
        </h1>
        {props.actions ? <div class="page-actions">{props.actions}</div> : null}
      </header>
      {props.children}
    </section>
  );
}

/** A titled block of a screen. */
export function Panel(props: { title: string; children: ComponentChildren; id?: string }) {
  const id = props.id ?? `panel-${props.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      {props.children}
    </section>
  );
}
