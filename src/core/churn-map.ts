/**
 * A map for entries that come and go all the time (one per request, step or execution) while the
 * map itself lives for the process.
 *
 * A `Map` with such churn makes V8 (Node 20) rebuild its hash table every few hundred changes. A
 * replaced table that had lived long enough to be promoted to the old generation still holds the
 * values it held then, and old objects are roots of the young-generation collector until the next
 * full collection, dead or not: those values, and all they reach, are promoted too. In the
 * Express engine that sent 7% of all allocation to the old generation and halved throughput.
 *
 * Here the hash table maps each key to a slot number (a small integer, not a heap object: a dead
 * table keeps only keys alive), and the values sit in an array of slots that is only ever grown,
 * never replaced while in use. A deleted entry's slot is emptied and reused.
 *
 * Concurrency contract: single-threaded, as a Map.
 */
export class ChurnMap<K, V> {
  readonly #slotOf = new Map<K, number>();
  readonly #values: (V | undefined)[] = [];
  readonly #free: number[] = [];

  get size(): number {
    return this.#slotOf.size;
  }

  get(key: K): V | undefined {
    const slot = this.#slotOf.get(key);
    return slot === undefined ? undefined : this.#values[slot];
  }

  has(key: K): boolean {
    return this.#slotOf.has(key);
  }

  set(key: K, value: V): this {
    let slot = this.#slotOf.get(key);
    if (slot === undefined) {
      slot = this.#free.pop() ?? this.#values.length;
      this.#slotOf.set(key, slot);
    }
    this.#values[slot] = value;
    return this;
  }

  delete(key: K): boolean {
    const slot = this.#slotOf.get(key);
    if (slot === undefined) return false;
    this.#slotOf.delete(key);
    this.#values[slot] = undefined;
    this.#free.push(slot);
    return true;
  }

  clear(): void {
    this.#slotOf.clear();
    this.#values.length = 0;
    this.#free.length = 0;
  }

  /** Keys in insertion order, as a Map's. */
  keys(): IterableIterator<K> {
    return this.#slotOf.keys();
  }

  *values(): IterableIterator<V> {
    for (const slot of this.#slotOf.values()) yield this.#values[slot] as V;
  }
}
