/**
 * IP addresses and CIDR blocks. event-ruler compares addresses as bytes after normalising the
 * text, so `2001:DB8::1` and `2001:0db8:0:0:0:0:0:1` are the same address, and it turns an exact
 * string that parses as an address into a one-address range.
 */
import { PatternError } from './pattern-error.ts';

/** 4 bytes (IPv4) or 16 bytes (IPv6). */
export type IpBytes = Uint8Array;

/** The addresses whose first `bits` bits equal those of `bytes`. */
export interface IpRange {
  readonly bytes: IpBytes;
  readonly bits: number;
}

function parseV4(text: string): IpBytes | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? '';
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseV6(text: string): IpBytes | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] ?? '';
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseV4(p);
        if (v4 === undefined) return undefined;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
        out.push(parseInt(p, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** The address a string denotes, or undefined when it is not an IPv4/IPv6 address. */
export function parseIp(text: string): IpBytes | undefined {
  if (text.length < 2 || text.length > 45) return undefined;
  return text.includes(':') ? parseV6(text) : parseV4(text);
}

/** Parses `address/bits`, throwing event-ruler's messages. */
export function parseCidr(text: string): IpRange {
  const slash = text.split('/');
  if (slash.length !== 2) throw new PatternError("Malformed CIDR, one '/' required");
  const [address = '', maskText = ''] = slash;
  if (!/^\d+$/.test(maskText)) throw new PatternError('Malformed CIDR, mask bits must be an integer');
  const bytes = parseIp(address);
  if (bytes === undefined) throw new PatternError(`Nonstandard IP address: ${address}`);
  const bits = Number(maskText);
  // event-ruler rejects the full-length mask: an exact address string means the same thing.
  if (bytes.length === 4 && bits >= 32) throw new PatternError('IPv4 mask bits must be < 32');
  if (bytes.length === 16 && bits >= 128) throw new PatternError('IPv6 mask bits must be < 128');
  return { bytes, bits };
}

/** The bit at `index` (0 = most significant bit of the first byte). */
export function bitAt(bytes: IpBytes, index: number): number {
  return ((bytes[index >> 3] ?? 0) >> (7 - (index & 7))) & 1;
}

export function ipInRange(address: IpBytes, range: IpRange): boolean {
  if (address.length !== range.bytes.length) return false;
  for (let i = 0; i < range.bits; i++) {
    if (bitAt(address, i) !== bitAt(range.bytes, i)) return false;
  }
  return true;
}
