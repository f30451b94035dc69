/** Small display helpers shared by the views. */

export function clockTime(iso: string | number): string {
  const d = typeof iso === 'number' ? new Date(iso) : new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export function dateTime(value: string | number | undefined): string {
  if (value === undefined) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : `${d.toLocaleDateString()} ${clockTime(d.getTime())}`;
}

/** AWS JSON timestamps are epoch seconds. */
export const fromEpochSeconds = (s: number | undefined): string => (s === undefined ? '' : dateTime(s * 1000));

export function pretty(value: unknown): string {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2) ?? String(value);
}

export function compact(value: unknown, max = 120): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
