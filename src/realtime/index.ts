export { createRealtimeService } from './service.ts';
export type { RealtimeService, RealtimeOptions, SubscribeSink, RealtimeSubscribeOutcome } from './service.ts';
export { createAppSyncConnection } from './appsync-protocol.ts';
export type { AppSyncConnectionOptions, ConnectionDescription, ProtocolConnection } from './appsync-protocol.ts';
export { createTransportWsConnection } from './transport-ws-protocol.ts';
export type { TransportWsOptions } from './transport-ws-protocol.ts';
