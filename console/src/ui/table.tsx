import type { ComponentChildren } from 'preact';
import { errorText, Loading, Notice } from './notice.js';

/** What a screen loaded: its error, a loading line, or the children made from the value. */
export function Loaded<T>(props: { state: { value?: T; error?: unknown }; what: string; children: (value: T) => ComponentChildren }) {
  const { value, error } = props.state;
  if (error !== undefined) return <Notice kind="error">{errorText(error)}</Notice>;
  if (value === undefined) return <Loading what={props.what} />;
  return <>{props.children(value)}</>;
}

/**
 * A table with its caption (hidden unless `showCaption`: the screen's heading says it) and column
 * heads; an empty column name is an actions column, named for screen readers only.
 */
export function Table(props: { caption: string; columns: readonly string[]; showCaption?: boolean; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table>
        <caption class={props.showCaption ? undefined : 'visually-hidden'}>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((name) => (
              <th scope="col" key={name}>
                {name || <span class="visually-hidden">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

/** A loaded list as a table, one row per item, or the `empty` line when it has none. */
export function ListTable<T, I>(props: {
  state: { value?: T; error?: unknown };
  what: string;
  items: (value: T) => readonly I[];
  empty: ComponentChildren;
  caption: string;
  showCaption?: boolean;
  columns: readonly string[];
  row: (item: I) => ComponentChildren;
}) {
  return (
    <Loaded state={props.state} what={props.what}>
      {(value) => {
        const items = props.items(value);
        if (items.length === 0) return <p>{props.empty}</p>;
        return (
          <Table caption={props.caption} columns={props.columns} showCaption={props.showCaption}>
            {items.map(props.row)}
          </Table>
        );
      }}
    </Loaded>
  );
}
