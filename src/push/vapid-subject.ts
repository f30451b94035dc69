/**
 * The VAPID `sub` claim (RFC 8292 §2.1): a contact for the push service's operator, `mailto:` or
 * `https:`. Apple's push service refuses a token whose subject is not a reachable contact (`403
 * BadJwtToken`, e.g. `mailto:x@localhost`), so placeholder and local domains are refused here,
 * at config load, rather than by Apple in production.
 */
const PLACEHOLDER_DOMAINS = ['example.com', 'example.net', 'example.org', 'localhost', 'localhost.localdomain'];
const RESERVED_TLDS = ['test', 'example', 'invalid', 'localhost', 'local', 'internal', 'home', 'lan'];

function placeholder(host: string): string | undefined {
  const h = host.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
  if (PLACEHOLDER_DOMAINS.some((d) => h === d || h.endsWith(`.${d}`))) return `"${h}" is a placeholder domain`;
  const tld = h.slice(h.lastIndexOf('.') + 1);
  if (RESERVED_TLDS.includes(tld)) return `".${tld}" is a reserved or local domain, not a reachable contact`;
  if (/^[\d.]+$/.test(h) || h.includes(':')) return `"${h}" is an IP address, not a contact domain`;
  if (!h.includes('.')) return `"${h}" is not a public domain name`;
  return undefined;
}

const WHY = "Apple's push service rejects a VAPID subject that is not a real contact (403 BadJwtToken)";

/** What is wrong with `subject`, or `undefined` when it is usable. */
export function checkVapidSubject(subject: string): string | undefined {
  if (subject.startsWith('mailto:')) {
    const address = subject.slice('mailto:'.length).split('?')[0] ?? '';
    const at = address.lastIndexOf('@');
    if (at <= 0 || at === address.length - 1 || /\s/.test(address)) return 'a mailto: URI with an e-mail address (mailto:you@your-domain.com)';
    const problem = placeholder(address.slice(at + 1));
    return problem === undefined ? undefined : `a contact address of yours: ${problem}, and ${WHY}`;
  }
  if (subject.startsWith('https:')) {
    let url: URL;
    try {
      url = new URL(subject);
    } catch {
      return 'an https: URL you answer at (https://your-domain.com/contact)';
    }
    const problem = placeholder(url.hostname);
    return problem === undefined ? undefined : `an https: URL of yours: ${problem}, and ${WHY}`;
  }
  return 'a mailto: or https: contact URI (RFC 8292 §2.1)';
}
