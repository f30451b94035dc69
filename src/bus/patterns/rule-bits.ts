/**
 * The rules one event matches, as bits (rule r: bit `r & 31` of word `r >> 5`) plus the list of
 * words that hold any. Recording a match is a test-and-set, and the result comes out in rule
 * order by reading the bits of the few touched words: no per-event set, no sort of the matches
 * (the rules of a rule file that match one event tend to sit in few words).
 *
 * Concurrency: one per matcher, filled and emptied within one synchronous `match` call.
 */
import { IdList } from './id-list.ts';

export class RuleBits {
  private readonly words: Int32Array;
  private readonly touched = new IdList();

  constructor(ruleCount: number) {
    this.words = new Int32Array((ruleCount + 31) >> 5);
  }

  /** Records that `rule` matched; false when it had already. */
  add(rule: number): boolean {
    const word = rule >> 5;
    const bit = 1 << (rule & 31);
    const bits = this.words[word] as number;
    if ((bits & bit) !== 0) return false;
    if (bits === 0) this.touched.push(word);
    this.words[word] = bits | bit;
    return true;
  }

  has(rule: number): boolean {
    return ((this.words[rule >> 5] as number) & (1 << (rule & 31))) !== 0;
  }

  /** Forgets every match (normally done by `takeIds`; also after an exception cut a run short). */
  clear(): void {
    const touched = this.touched;
    for (let i = 0; i < touched.length; i++) this.words[touched.at(i)] = 0;
    touched.length = 0;
  }

  /** The ids of the matched rules, in rule order; forgets the matches. */
  takeIds(ids: readonly string[]): string[] {
    const count = this.touched.length;
    if (count === 0) return [];
    const touched = this.touched.items;
    const words = this.words;
    let n = 0;
    for (let i = 0; i < count; i++) n += bitCount(words[touched[i] as number] as number);
    // insertion sort of the touched words: a few, often in order
    for (let i = 1; i < count; i++) {
      const v = touched[i] as number;
      let j = i - 1;
      while (j >= 0 && (touched[j] as number) > v) {
        touched[j + 1] = touched[j] as number;
        j--;
      }
      touched[j + 1] = v;
    }
    // (sized up front: growing an array push by push reallocates it several times)
    const out = new Array<string>(n);
    let k = 0;
    for (let i = 0; i < count; i++) {
      const word = touched[i] as number;
      let bits = words[word] as number;
      words[word] = 0;
      while (bits !== 0) {
        const low = bits & -bits;
        out[k++] = ids[(word << 5) + 31 - Math.clz32(low)] as string;
        bits ^= low;
      }
    }
    this.touched.length = 0;
    return out;
  }
}

/** The number of set bits of a 32-bit integer. */
function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}
