/**
 * The shape of `defineApp({...})`, the single description the loader validates against. The
 * TypeScript types in `types.ts` say the same thing for editors; a test keeps the two aligned on
 * the example apps.
 */
import { AUTH_MODES, CHANGE_VIEW_TYPES, PUSH_URGENCY_VALUES } from './types.ts';
import { array, obj, record, req, str, type Shape } from './shape.ts';

const keyAttribute: Shape = {
  kind: 'anyOf',
  expected: 'an attribute name or { name, type: "S" | "N" | "B" }',
  options: [str(), obj({ name: req(str()), type: req(str({ enum: ['S', 'N', 'B'] })) })],
};

const jwtMode = obj({ issuer: str(), jwksUrl: str({ pattern: /^https?:\/\//, describe: 'an http(s) URL' }), clientIds: array(str()) });

const auth = obj({
  defaultMode: str({ enum: AUTH_MODES }),
  additionalModes: array(str({ enum: AUTH_MODES })),
  apiKeys: array(obj({ key: str({ pattern: /^[\w-]{8,}$/, describe: 'a key of 8 or more letters, digits, - or _' }), expires: str({ pattern: /^\d{4}-\d{2}-\d{2}/, describe: 'an ISO-8601 date-time' }), description: str() })),
  accessKeys: array(obj({ accessKeyId: req(str({ pattern: /^[A-Z0-9]{16,128}$/, describe: 'an access key id (16-128 upper-case letters and digits)' })), secretAccessKey: req(str()), userArn: str(), accountId: str({ pattern: /^\d{12}$/, describe: 'a 12-digit account id' }) })),
  guest: obj({ roleArn: str(), allow: req(array(str({ pattern: /^[A-Za-z_*][\w*]*\.[\w*]+$/, describe: 'a "Type.field" name (wildcards * allowed)' }))), durationSeconds: { kind: 'number', integer: true, min: 900, max: 43200 } }),
  userPool: jwtMode,
  oidc: jwtMode,
  lambda: obj({ handler: req(str()), resultTtlSeconds: { kind: 'number', integer: true, min: 0, max: 3600 }, identityValidationExpression: str() }),
});

const dataSource: Shape = {
  kind: 'oneOf',
  expected: 'a data source { type: "NONE" | "TABLE" | "EVENT_BUS" | "HTTP" | "FUNCTION", ... }',
  pick(value) {
    switch (value['type']) {
      case 'NONE':
        return obj({ type: req(str()) });
      case 'TABLE':
        return obj({ type: req(str()), table: req(str()) });
      case 'EVENT_BUS':
        return obj({ type: req(str()), bus: str() });
      case 'HTTP':
        return obj({ type: req(str()), endpoint: req(str({ pattern: /^https?:\/\//, describe: 'an http(s) URL' })), sigv4: obj({ service: req(str()), region: str(), accessKeyId: str() }) });
      case 'FUNCTION':
        return obj({ type: req(str()), handler: req(str()), timeoutSeconds: { kind: 'number', integer: true, min: 1, max: 900 } });
      default:
        return undefined;
    }
  },
};

/** EventBridge bus names and Pipes pipe names, as those services constrain them. */
const tableChanges = obj({
  bus: req(str({ pattern: /^[\w.\-/]{1,256}$/, describe: 'an event bus name' })),
  pipeName: str({ pattern: /^[\w.\-]{1,64}$/, describe: 'a pipe name (1-64 letters, digits, ., - or _)' }),
  viewType: str({ enum: CHANGE_VIEW_TYPES }),
});

const url = str({ pattern: /^https?:\/\//, describe: 'an http(s) URL' });
const region = str({ pattern: /^[a-z]{2}(-[a-z]+)+-\d+$/, describe: 'a region name such as "us-east-1"' });
const link = obj({ endpoint: req(url), accessKeyId: req(str()), secretAccessKey: req(str()), maxHops: { kind: 'number', integer: true, min: 1, max: 8 } });
const connection = obj({
  authorizationType: req(str({ enum: ['API_KEY', 'BASIC'] })),
  apiKey: obj({ name: req(str()), value: req(str()) }),
  basic: obj({ username: req(str()), password: req(str()) }),
  headers: record(str()),
  queryString: record(str()),
});
const apiDestination = obj({
  connection: req(str()),
  endpoint: req(url),
  httpMethod: str({ enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] }),
  rateLimitPerSecond: { kind: 'number', integer: true, min: 1, max: 300 },
});

const vapidSubject = str({ pattern: /^(mailto|https):/, describe: 'a mailto: or https: contact URI (RFC 8292 §2.1)' });
const vapidKey = (keysRequired: boolean): Shape =>
  obj({ subject: req(vapidSubject), publicKey: keysRequired ? req(str()) : str(), privateKey: keysRequired ? req(str()) : str() });
const push = obj({
  vapid: vapidKey(false),
  keys: array(vapidKey(true)),
  bus: str({ pattern: /^[\w.\-/]{1,256}$/, describe: 'an event bus name' }),
  allowedEndpoints: array(str({ pattern: /^https?:\/\/(\*\.)?[^/*:]+(:(\d+|\*))?\/?$/, describe: 'an origin pattern such as "https://*.googleapis.com" or "http://127.0.0.1:*"' })),
  notifications: record(
    obj({
      title: str(),
      body: str(),
      icon: str(),
      // autopush accepts at most 30 days.
      ttlSeconds: { kind: 'number', integer: true, min: 0, max: 2_592_000 },
      urgency: str({ enum: PUSH_URGENCY_VALUES }),
    }),
  ),
  page: str(),
});

const functionStep = obj({ dataSource: req(str()), code: req(str()) });

const resolver: Shape = {
  kind: 'oneOf',
  expected: 'a resolver: { dataSource, code } or { pipeline: [...], code? } or { handler } or { resolve }',
  pick(value) {
    if ('pipeline' in value) return obj({ pipeline: req(array({ kind: 'anyOf', expected: 'a function name or { dataSource, code }', options: [str(), functionStep] })), code: str() });
    if ('handler' in value) return obj({ handler: req(str()) });
    if ('resolve' in value) return obj({ resolve: req({ kind: 'function' }) });
    if ('dataSource' in value || 'code' in value) return functionStep;
    return undefined;
  },
};

const count = (min: number, max: number): Shape => ({ kind: 'number', integer: true, min, max });

export const appConfigShape: Shape = obj({
  name: str(),
  api: obj({
    name: str(),
    schema: str(),
    auth,
    env: record(str()),
    maxQueryDepth: { kind: 'number', integer: true, min: 1, max: 75 },
    backendOnly: array(str({ pattern: /^(Query|Mutation|Subscription)\.[_A-Za-z]\w*$/, describe: 'a root field "Query.<field>", "Mutation.<field>" or "Subscription.<field>"' })),
    subscriptions: obj({
      maxPerConnection: count(1, 10_000),
      filterLimits: obj({
        maxFilterGroups: count(1, 1_000),
        maxFieldsPerGroup: count(1, 100),
        maxInValues: count(1, 10_000),
        maxContainsAnyValues: count(1, 10_000),
        maxStringLength: count(1, 1_000_000),
        maxNestingDepth: count(1, 100),
      }),
    }),
  }),
  tables: record(
    obj({
      partitionKey: req(keyAttribute),
      sortKey: keyAttribute,
      globalSecondaryIndexes: record(obj({ partitionKey: req(keyAttribute), sortKey: keyAttribute })),
      localSecondaryIndexes: record(obj({ sortKey: req(keyAttribute) })),
      changes: tableChanges,
    }),
  ),
  dataSources: record(dataSource),
  functions: record(functionStep),
  resolvers: record(resolver),
  buses: record({ kind: 'open' }),
  rules: record({ kind: 'open' }),
  region,
  links: record(link),
  connections: record(connection),
  apiDestinations: record(apiDestination),
  workflows: record({ kind: 'open' }),
  push,
  site: str(),
  regions: record(obj({ region: req(region), port: { kind: 'number', integer: true, min: 0, max: 65535 } })),
  routes: record({ kind: 'open' }),
});
