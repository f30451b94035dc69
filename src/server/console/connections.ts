/**
 * Live WebSocket connections and their subscriptions, per protocol (AppSync's `graphql-ws`
 * dialect, `graphql-transport-ws`), from the WebSocket handler's read-only snapshot.
 */
import type { LiveConnectionInfo } from '../websocket.ts';

export const PROTOCOL_NAMES = { appsync: 'graphql-ws (AppSync realtime)', 'transport-ws': 'graphql-transport-ws' } as const;

export interface ConnectionsView {
  readonly total: number;
  readonly subscriptions: number;
  readonly byProtocol: Readonly<Record<keyof typeof PROTOCOL_NAMES, { readonly label: string; readonly connections: number; readonly subscriptions: number }>>;
  readonly connections: readonly {
    readonly id: string;
    readonly protocol: keyof typeof PROTOCOL_NAMES;
    readonly subprotocol: string;
    readonly authMode: string | null;
    readonly connectedAt: string;
    readonly sourceIp: string;
    readonly subscriptions: readonly { readonly id: string; readonly field: string }[];
  }[];
}

export function connectionsView(live: readonly LiveConnectionInfo[]): ConnectionsView {
  const count = (p: keyof typeof PROTOCOL_NAMES) => {
    const of = live.filter((c) => c.protocol === p);
    return { label: PROTOCOL_NAMES[p], connections: of.length, subscriptions: of.reduce((n, c) => n + c.subscriptions.length, 0) };
  };
  return {
    total: live.length,
    subscriptions: live.reduce((n, c) => n + c.subscriptions.length, 0),
    byProtocol: { appsync: count('appsync'), 'transport-ws': count('transport-ws') },
    connections: [...live]
      .sort((a, b) => b.connectedAt - a.connectedAt)
      .map((c) => ({
        id: c.id,
        protocol: c.protocol,
        subprotocol: c.protocol === 'appsync' ? 'graphql-ws' : 'graphql-transport-ws',
        authMode: c.authMode,
        connectedAt: new Date(c.connectedAt).toISOString(),
        sourceIp: c.sourceIp,
        subscriptions: c.subscriptions,
      })),
  };
}
