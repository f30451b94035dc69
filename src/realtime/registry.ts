/**
 * Live subscriptions, grouped for fan-out. Subscribers whose deliveries would be byte-identical
 * (same document, variables, auth shape and filter) share a group: on publish, the group's filter
 * is evaluated once, the GraphQL projection executed once and serialized once, and the same text
 * handed to every subscriber of the group.
 *
 * Concurrency contract: single-threaded; `add`/remove and publish interleave only at `await`s of
 * the projection; a subscriber removed during a publish may still get that one message.
 */
import { merged } from '../core/index.ts';

export interface Subscriber {
  /** Receives the serialized `{data, errors?}` payload and its topic offset. Must not throw. */
  deliver(payloadJson: string, offset: number): void;
  /** The subscription's invalidation filter, if its resolver set one. */
  readonly invalidatedBy?: (payload: unknown) => boolean;
  /** Server-side end (invalidation): the protocol tells the client and cleans up. */
  invalidated(): void;
}

export interface GroupSpec {
  readonly fieldName: string;
  readonly key: string;
  readonly matches: (payload: unknown) => boolean;
  readonly project: (payload: unknown) => Promise<unknown>;
}

interface Group extends GroupSpec {
  readonly subscribers: Set<Subscriber>;
}

export class SubscriptionRegistry {
  readonly #byField = new Map<string, Map<string, Group>>();
  #count = 0;

  get size(): number {
    return this.#count;
  }

  /** Adds a subscriber to its group (creating the group from `spec` if new); returns the remover. */
  add(spec: GroupSpec, subscriber: Subscriber): () => void {
    let groups = this.#byField.get(spec.fieldName);
    if (groups === undefined) {
      groups = new Map();
      this.#byField.set(spec.fieldName, groups);
    }
    let group = groups.get(spec.key);
    if (group === undefined) {
      group = merged(spec, { subscribers: new Set<Subscriber>() });
      groups.set(spec.key, group);
    }
    const g = group;
    const gs = groups;
    g.subscribers.add(subscriber);
    this.#count++;
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.#count--;
      g.subscribers.delete(subscriber);
      if (g.subscribers.size === 0 && gs.get(g.key) === g) gs.delete(g.key);
    };
  }

  groupsOf(fieldName: string): readonly Group[] {
    return [...(this.#byField.get(fieldName)?.values() ?? [])];
  }

  /** A snapshot, so delivery may remove subscribers while iterating. */
  subscribersOfGroup(group: GroupSpec): readonly Subscriber[] {
    const g = this.#byField.get(group.fieldName)?.get(group.key);
    return g === undefined ? [] : [...g.subscribers];
  }

  subscribersOf(fieldName: string): readonly Subscriber[] {
    return this.groupsOf(fieldName).flatMap((g) => [...g.subscribers]);
  }
}
