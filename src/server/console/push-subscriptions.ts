/**
 * Web Push subscriptions as the console lists them: who, which push service (the endpoint's origin
 * only: the full endpoint is a bearer capability), when, and the orders each follows.
 */
import type { PushStore } from '../../storage/index.ts';
import type { PushView } from './wire.ts';

export type { PushView } from './wire.ts';


export const PUSH_LIST_LIMIT = 500;

function originOf(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return '(invalid endpoint)';
  }
}

export async function pushView(store: PushStore | undefined, configured: boolean): Promise<PushView> {
  if (!configured || store === undefined) return { configured: false, total: 0, subscriptions: [] };
  const [total, page] = await Promise.all([store.countSubscriptions(), store.listSubscriptions({ limit: PUSH_LIST_LIMIT })]);
  const subscriptions = await Promise.all(
    page.map(async (s) => ({
      id: s.id,
      userId: s.userId ?? null,
      endpointOrigin: originOf(s.endpoint),
      createdAt: new Date(s.createdAt).toISOString(),
      updatedAt: new Date(s.updatedAt).toISOString(),
      expiresAt: s.expiresAt === undefined ? null : new Date(s.expiresAt).toISOString(),
      orders: await store.ordersOf(s.id),
    })),
  );
  subscriptions.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  return { configured: true, total, subscriptions };
}
