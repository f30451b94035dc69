/** A JSON value (or JSON text), pretty-printed in a scrollable block. */
import { pretty } from './format.ts';

export function JsonBlock(props: { readonly value: unknown; readonly label?: string }) {
  return (
    <div className="json">
      {props.label !== undefined && <div className="json-label">{props.label}</div>}
      <pre>{pretty(props.value)}</pre>
    </div>
  );
}
