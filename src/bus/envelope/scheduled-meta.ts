/**
 * A bus log record's meta (`LogRecord.meta`, JSON text) marks a scheduled event with
 * `{"schedule": "<rule>"}`: only that rule gets it, no archive holds it. Read here, at the bottom
 * of `bus/`, because the dispatcher, the replay runner, archives and trace all ask.
 */
export function scheduledRuleOf(meta: string | undefined): string | undefined {
  if (meta === undefined || !meta.includes('"schedule"')) return undefined;
  try {
    const value = JSON.parse(meta) as { schedule?: unknown };
    return typeof value.schedule === 'string' ? value.schedule : undefined;
  } catch {
    return undefined;
  }
}

export const scheduledMeta = (rule: string): string => JSON.stringify({ schedule: rule });
