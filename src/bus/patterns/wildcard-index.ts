/**
 * Wildcards of all rules on one field, indexed by their literal head (the text before the first
 * star) or, when that is empty, by their literal tail; only wildcards whose head or tail fits the
 * value are then run. Wildcards starting and ending with a star are run on every value of the
 * field: that is the one place where per-value work grows with the number of rules.
 */
import { StringTrie, reverse } from './string-trie.ts';
import { wildcardMatches, type Wildcard } from './wildcard.ts';

interface Entry {
  readonly wildcard: Wildcard;
  readonly id: number;
}

export class WildcardIndex {
  private readonly heads = new StringTrie<Entry>();
  private readonly tails = new StringTrie<Entry>();
  private readonly unanchored: Entry[] = [];

  get size(): number {
    return this.heads.size + this.tails.size + this.unanchored.length;
  }

  add(wildcard: Wildcard, id: number): void {
    const segs = wildcard.segments;
    const head = segs[0] ?? '';
    const tail = segs[segs.length - 1] ?? '';
    if (head !== '') this.heads.add(head, { wildcard, id });
    else if (tail !== '') this.tails.add(reverse(tail), { wildcard, id });
    else this.unanchored.push({ wildcard, id });
  }

  /** Appends to `out` the id of every wildcard matching `text`. */
  query(text: string, out: number[]): void {
    const candidates: Entry[] = [];
    if (this.heads.size > 0) this.heads.prefixesOf(text, candidates);
    if (this.tails.size > 0) this.tails.prefixesOf(reverse(text), candidates);
    for (const e of candidates) if (wildcardMatches(e.wildcard, text)) out.push(e.id);
    for (const e of this.unanchored) if (wildcardMatches(e.wildcard, text)) out.push(e.id);
  }
}
