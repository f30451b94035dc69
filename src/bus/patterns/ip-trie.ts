/**
 * CIDR blocks of all rules on one field as a binary trie over address bits: the blocks containing
 * an address are found in one walk of at most 32 (IPv4) or 128 (IPv6) steps.
 */
import type { IdList } from './id-list.ts';
import { bitAt, type IpBytes, type IpRange } from './ip.ts';

interface BitNode {
  readonly next: [BitNode | undefined, BitNode | undefined];
  readonly slots: number[];
}

const bitNode = (): BitNode => ({ next: [undefined, undefined], slots: [] });

export class IpTrie {
  private readonly v4 = bitNode();
  private readonly v6 = bitNode();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(range: IpRange, slot: number): void {
    let n = range.bytes.length === 4 ? this.v4 : this.v6;
    for (let i = 0; i < range.bits; i++) {
      const b = bitAt(range.bytes, i);
      n = n.next[b] ??= bitNode();
    }
    n.slots.push(slot);
    this.count++;
  }

  /** Appends to `out` the slot of every block containing `address`. */
  query(address: IpBytes, out: IdList): void {
    let n: BitNode | undefined = address.length === 4 ? this.v4 : this.v6;
    for (let i = 0; n !== undefined; i++) {
      out.pushAll(n.slots);
      if (i === address.length * 8) return;
      n = n.next[bitAt(address, i)];
    }
  }
}
