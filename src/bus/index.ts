/**
 * The event bus (issue 4): its pure cores — the pattern language (`patterns/`), the event
 * envelope and PutEvents entry validation (`envelope/`), input transformers (`transform/`), rules
 * and targets as the API defines them (`rules/`) — and the EventBridge wire API (`api/`).
 * Rule evaluation and delivery to targets are not built yet.
 */
export * from './patterns/index.ts';
export * from './envelope/index.ts';
export * from './transform/index.ts';
export * from './rules/index.ts';
export * from './api/index.ts';
export * from './delivery/index.ts';
export * from './schedules/index.ts';
