/** An error from the server (or the network), shown where the data would be. */
import { ApiError } from './api.ts';
import { errorText } from './format.ts';

export function ErrorNote(props: { readonly error: unknown }) {
  if (props.error === undefined || props.error === null) return null;
  const type = props.error instanceof ApiError && props.error.type !== undefined ? `${props.error.type}: ` : '';
  return (
    <div className="error" role="alert">
      {type}
      {errorText(props.error)}
    </div>
  );
}
