/** The bus selector of the rules and dead-letter views (kept in the URL as `?bus=`). */
import type { EventBus } from './types.ts';

export function BusPicker(props: { readonly buses: readonly EventBus[]; readonly value: string; readonly onChange: (bus: string) => void }) {
  return (
    <select aria-label="Event bus" value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      {props.buses.map((b) => (
        <option key={b.Name} value={b.Name}>
          {b.Name}
        </option>
      ))}
    </select>
  );
}
