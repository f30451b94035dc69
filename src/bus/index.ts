/**
 * The event bus (issue 4). So far its pure cores: the pattern language (`patterns/`), the event
 * envelope and PutEvents entry validation (`envelope/`), and input transformers (`transform/`).
 * The AWS JSON API, rules, targets and delivery are not built yet.
 */
export * from './patterns/index.ts';
export * from './envelope/index.ts';
export * from './transform/index.ts';
