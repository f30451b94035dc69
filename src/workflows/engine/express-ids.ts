/**
 * The ids of Express executions (the last part of their ARNs, and their names when none is given):
 * UUID-shaped, as AWS's and as before, but made from a sequence number under a random prefix drawn
 * once per engine (~70 random bits: unique across processes and reloads in practice), so that a
 * new id costs two string concatenations rather than `randomUUID()`, and the engine finds an
 * execution by its sequence number (a small integer: no string to hash). An injected `uuid()`
 * (tests) is used as is; its ids are then the keys.
 *
 * Concurrency contract: single-threaded, one instance per engine.
 */
import { randomInt, randomUUID } from 'node:crypto';

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const TAIL = /^[0-9a-f]{12}$/;

export class ExpressIds {
  readonly #injected: (() => string) | undefined;
  /** `xxxxxxxx-xxxx-4xxx-yxxx-`: a random v4 UUID's first 24 characters (version and variant included). */
  readonly #prefix = randomUUID().slice(0, 24);
  /** The prefix and the id's 8 high hex digits, redone every 65,536 ids. */
  #high = '';
  /** The key of the last id: a small integer (cheap as a map key). */
  #seq = 0;
  /** Where the ids' last 12 hex digits start counting, so that they do not read 000000000001. */
  readonly #offset = randomInt(2 ** 40);

  constructor(injected: (() => string) | undefined) {
    this.#injected = injected;
  }

  /** A new id; `key` then answers its key in the engine's map. */
  next(): string {
    const injected = this.#injected;
    if (injected !== undefined) return injected();
    const n = ++this.#seq + this.#offset;
    const low = n % 65536;
    if (low === 0 || this.#high === '') {
      const high = Math.floor(n / 65536);
      this.#high = this.#prefix + HEX2[Math.floor(high / 2 ** 24) % 256] + HEX2[Math.floor(high / 2 ** 16) % 256] + HEX2[(high >>> 8) & 255] + HEX2[high & 255];
    }
    return this.#high + HEX2[low >>> 8] + HEX2[low & 255];
  }

  /** The map key of the id `next()` returned last. */
  lastKey(id: string): number | string {
    return this.#injected !== undefined ? id : this.#seq;
  }

  /** The map key of an id found in an ARN; undefined when no id of this engine can have it. */
  keyOf(id: string): number | string | undefined {
    if (this.#injected !== undefined) return id;
    if (id.length !== 36 || !id.startsWith(this.#prefix)) return undefined;
    const tail = id.slice(24);
    return TAIL.test(tail) ? Number.parseInt(tail, 16) - this.#offset : undefined;
  }
}
