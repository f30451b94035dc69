/**
 * Live WebSocket connections and their subscriptions, per protocol (AppSync's `graphql-ws`
 * dialect, `graphql-transport-ws`), from the WebSocket handler's read-only snapshot.
 */
import type { LiveConnectionInfo } from '../websocket.ts';
import { PROTOCOL_NAMES, type ConnectionsView } from './wire.ts';

export { PROTOCOL_NAMES, type ConnectionsView } from './wire.ts';


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
