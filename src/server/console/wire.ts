/**
 * What the console API answers (`/console/api/*`), as types with no imports: the server builds
 * these shapes and the console page (console/src, a separate TypeScript project) reads them, both
 * from this one file.
 */

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

export interface StreamEvent {
  readonly bus: string;
  readonly offset: number;
  readonly id: string;
  /** When the log received it (ISO 8601, ms). */
  readonly receivedAt: string;
  /** The envelope's `time`. */
  readonly time: string;
  readonly source: string;
  readonly detailType: string;
  readonly account: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

export interface StreamPage {
  readonly events: readonly StreamEvent[];
  /** Pass back as `cursor` to get only what comes after. */
  readonly cursor: string;
  readonly buses: readonly string[];
  /** Some bus had more than `limit` new events: poll again at once. */
  readonly more: boolean;
}

export interface PushView {
  readonly configured: boolean;
  readonly total: number;
  readonly subscriptions: readonly {
    readonly id: string;
    readonly userId: string | null;
    readonly endpointOrigin: string;
    readonly createdAt: string;
    readonly updatedAt: string;
    readonly expiresAt: string | null;
    readonly orders: readonly string[];
  }[];
}
