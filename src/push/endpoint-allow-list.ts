/**
 * Which push services subscriptions may point at. A subscription's endpoint is a URL the server
 * will POST to, given by whoever calls `POST /subscribe`, so it is checked against an allow-list
 * of origin patterns (as ntfy does) instead of trusted: otherwise the server could be made to
 * send requests into its own network.
 *
 * A pattern is `scheme://host[:port]`, where the host may start with `*.` (any subdomain, at any
 * depth) and the port may be `*`; without a port, the scheme's default port.
 */
export const DEFAULT_PUSH_SERVICES: readonly string[] = [
  'https://*.googleapis.com', // Chrome, Edge on Android, Opera: FCM
  'https://*.google.com',
  'https://*.mozilla.com', // Firefox: autopush
  'https://*.mozaws.net',
  'https://*.push.apple.com', // Safari
  'https://*.notify.windows.com', // Edge on Windows: WNS
  'https://*.windows.com',
  'https://*.microsoft.com',
];

interface OriginPattern {
  readonly scheme: string;
  readonly host: string;
  readonly anySubdomain: boolean;
  /** `undefined`: any port. */
  readonly port: string | undefined;
}

const DEFAULT_PORT: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

function parsePattern(pattern: string): OriginPattern | undefined {
  const m = /^(https?:)\/\/(\*\.)?([^/*:]+)(?::(\d+|\*))?\/?$/i.exec(pattern);
  if (m === null) return undefined;
  const scheme = (m[1] ?? '').toLowerCase();
  const port = m[4] === '*' ? undefined : (m[4] ?? DEFAULT_PORT[scheme]);
  return { scheme, host: (m[3] ?? '').toLowerCase(), anySubdomain: m[2] !== undefined, port };
}

export type EndpointCheck = (endpoint: URL) => boolean;

/** Compiles the patterns once; throws on a malformed pattern (the config schema checks them first). */
export function compileEndpointAllowList(patterns: readonly string[]): EndpointCheck {
  const compiled = patterns.map((p) => {
    const parsed = parsePattern(p);
    if (parsed === undefined) throw new RangeError(`not an origin pattern: ${p}`);
    return parsed;
  });
  return (endpoint) => {
    const scheme = endpoint.protocol;
    const host = endpoint.hostname.toLowerCase();
    const port = endpoint.port === '' ? DEFAULT_PORT[scheme] : endpoint.port;
    if (endpoint.username !== '' || endpoint.password !== '') return false;
    return compiled.some((p) => p.scheme === scheme && (p.port === undefined || p.port === port) && (p.anySubdomain ? host.endsWith(`.${p.host}`) : host === p.host));
  };
}
