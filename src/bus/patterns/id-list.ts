/**
 * A growable list of integer ids (slots, condition ids, sub-rules) that the per-event code fills
 * and empties again and again. Emptying is `length = 0` on a plain field: truncating a JS array
 * instead is a runtime call in V8, which showed up in profiles at several per cent.
 */
export class IdList {
  items = new Int32Array(64);
  length = 0;

  push(id: number): void {
    if (this.length === this.items.length) this.grow(this.length + 1);
    this.items[this.length++] = id;
  }

  pushAll(ids: readonly number[]): void {
    const count = ids.length;
    if (this.length + count > this.items.length) this.grow(this.length + count);
    const items = this.items;
    let at = this.length;
    for (let i = 0; i < count; i++) items[at++] = ids[i] as number;
    this.length = at;
  }

  /** Appends `from[start .. start + count)`. */
  pushRange(from: Int32Array, start: number, count: number): void {
    if (this.length + count > this.items.length) this.grow(this.length + count);
    const items = this.items;
    let at = this.length;
    for (let i = 0; i < count; i++) items[at++] = from[start + i] as number;
    this.length = at;
  }

  private grow(least: number): void {
    const grown = new Int32Array(Math.max(least, this.items.length * 2));
    grown.set(this.items);
    this.items = grown;
  }

  at(i: number): number {
    return this.items[i] as number;
  }
}
