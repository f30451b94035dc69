/**
 * A character trie answering "which stored keys are prefixes of this text?" in one walk whose
 * length is bounded by the text, not by the number of keys. Suffixes are stored reversed.
 */
interface TrieNode<T> {
  readonly next: Map<string, TrieNode<T>>;
  readonly values: T[];
}

const node = <T>(): TrieNode<T> => ({ next: new Map(), values: [] });

export class StringTrie<T> {
  private readonly root: TrieNode<T> = node();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(key: string, value: T): void {
    let n = this.root;
    for (let i = 0; i < key.length; i++) {
      const c = key[i] ?? '';
      let child = n.next.get(c);
      if (child === undefined) {
        child = node();
        n.next.set(c, child);
      }
      n = child;
    }
    n.values.push(value);
    this.count++;
  }

  /** Appends to `out` the values of every stored key that is a prefix of `text`. */
  prefixesOf(text: string, out: T[]): void {
    let n: TrieNode<T> | undefined = this.root;
    for (let i = 0; ; i++) {
      for (const v of n.values) out.push(v);
      if (i === text.length) return;
      n = n.next.get(text[i] ?? '');
      if (n === undefined) return;
    }
  }
}

export function reverse(text: string): string {
  let out = '';
  for (let i = text.length - 1; i >= 0; i--) out += text[i];
  return out;
}
