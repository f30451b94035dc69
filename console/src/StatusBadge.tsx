/** A status word in a coloured pill (RUNNING, SUCCEEDED, FAILED, ENABLED, delivered...). */
export function StatusBadge(props: { readonly status: string }) {
  return <span className={`badge badge-${props.status.toLowerCase().replace(/[^a-z]+/g, '-')}`}>{props.status}</span>;
}
