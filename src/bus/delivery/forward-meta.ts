/**
 * Where a bus event came from, kept beside it in the event log (`LogRecord.meta`), never in the
 * envelope: the region it was first put in (`origin`) and how many links between Switchboards it
 * has crossed (`hops`). Events put locally have no meta: origin = this region, hops = 0.
 */
export interface ForwardMeta {
  readonly origin: string;
  readonly hops: number;
}

export function readForwardMeta(meta: string | undefined, localRegion: string): ForwardMeta {
  if (meta === undefined) return { origin: localRegion, hops: 0 };
  try {
    const value = JSON.parse(meta) as Partial<ForwardMeta>;
    return { origin: typeof value.origin === 'string' ? value.origin : localRegion, hops: typeof value.hops === 'number' ? value.hops : 0 };
  } catch {
    return { origin: localRegion, hops: 0 };
  }
}

export const writeForwardMeta = (meta: ForwardMeta): string => JSON.stringify({ origin: meta.origin, hops: meta.hops });
