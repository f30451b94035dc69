/**
 * The event bus (issue 4): its pure cores — the pattern language (`patterns/`), the event
 * envelope and PutEvents entry validation (`envelope/`), input transformers (`transform/`), rules
 * and targets as the API defines them (`rules/`) — the EventBridge wire API (`api/`), rule
 * evaluation and delivery to targets (`delivery/`), schedule expressions (`schedules/`), trace
 * (`trace/`) and retention of the bus streams (`retention/`).
 */
export * from './patterns/index.ts';
export * from './envelope/index.ts';
export * from './transform/index.ts';
export * from './rules/index.ts';
export * from './api/index.ts';
export * from './delivery/index.ts';
export * from './schedules/index.ts';
export * from './retention/index.ts';
