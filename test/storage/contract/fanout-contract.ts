/**
 * The `Fanout` contract (src/storage/fanout.ts), one test per guarantee, for any adapter:
 * `describeFanoutContract('memory', open)`. Each `open()` is another node on the same backbone
 * (another instance on one memory hub, another NATS connection); isolation between suites (a
 * hub per suite, a random subject prefix) is the caller's.
 *
 * Proving that a message did *not* arrive without sleeping: the test publishes a last "fence"
 * message after the ones that must not arrive, from the same instance, and waits for it on a `>`
 * subscription of the receiving instance. Both adapters deliver one connection's messages in the
 * order they were sent, whatever their topics, so once the fence is in, anything that was going
 * to arrive has arrived. (The port only promises order per topic; this is a test technique.)
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Fanout } from '../../../src/storage/index.ts';

export interface OpenedFanout {
  readonly fanout: Fanout;
  close(): Promise<void>;
}

export interface FanoutContractOptions {
  /** node:test's `skip`: the reason the adapter cannot be tested here (a service not reachable). */
  readonly skip?: string | false;
}

const decoder = new TextDecoder();
const WAIT_MS = 5_000;
const PROBE = '\u0000probe';

/** Messages received on one subscription, as text, with a way to wait for the n-th. */
class Inbox {
  readonly texts: string[] = [];
  readonly topics: string[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];
  readonly handler = (data: Uint8Array, topic: string): void => {
    const text = decoder.decode(data);
    // Probes (see `live`) may still arrive after the test has moved on: they are not its messages.
    if (text === PROBE) return;
    this.texts.push(text);
    this.topics.push(topic);
    this.waiters = this.waiters.filter((w) => (w.n <= this.texts.length ? (w.resolve(), false) : true));
  };

  /** Resolves once `n` messages are in; rejects after a while, saying what did arrive. */
  until(n: number): Promise<void> {
    if (this.texts.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`waited for ${n} messages, got ${this.texts.length}: ${JSON.stringify(this.texts.slice(-5))}`)), WAIT_MS);
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** Resolves once a message with this text is in. */
  async untilText(text: string): Promise<void> {
    for (let n = 1; ; n++) {
      await this.until(n);
      if (this.texts[n - 1] === text) return;
    }
  }
}

export function describeFanoutContract(name: string, open: () => Promise<OpenedFanout>, options: FanoutContractOptions = {}): void {
  describe(`Fanout contract: ${name}`, { skip: options.skip ?? false }, () => {
    let a: OpenedFanout;
    let b: OpenedFanout;
    const run = randomUUID().slice(0, 8);
    let n = 0;
    const fresh = (label = 't'): string => `${label}-${run}-${++n}`;
    before(async () => {
      a = await open();
      b = await open();
    });
    after(async () => {
      await a?.close();
      await b?.close();
    });

    /**
     * Resolves once `receiver` has a message that `sender` published after calling this: sent
     * every 20 ms until one shows, because a new NATS subscription is live only once the server
     * has it (the probe subscription is made last, so the server has every earlier one too).
     */
    const roundTrip = async (sender: Fanout, receiver: Fanout, topic: string, text: string, listenOn = topic): Promise<void> => {
      let got = false;
      const off = receiver.subscribe(listenOn, (data) => {
        if (decoder.decode(data) === text) got = true;
      });
      try {
        for (let waited = 0; !got; waited += 20) {
          assert.ok(waited < WAIT_MS, `nothing came back on ${JSON.stringify(topic)}`);
          sender.publish(topic, text);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        off();
      }
    };

    /** Every subscription `receiver` has is live for what `sender` publishes from now on. */
    const live = (receiver: Fanout, topic: string, sender: Fanout): Promise<void> => roundTrip(sender, receiver, topic, PROBE);

    /** Everything `sender` published before this has reached `receiver`'s handlers (see the header). */
    const fence = (ns: string, sender: Fanout, receiver: Fanout): Promise<void> => roundTrip(sender, receiver, `${ns}.fence`, `fence ${randomUUID()}`, `${ns}.>`);

    it('delivers a published message to every subscriber, on this instance and on another', async () => {
      const topic = fresh();
      const [one, two, three] = [new Inbox(), new Inbox(), new Inbox()];
      a.fanout.subscribe(topic, one.handler);
      a.fanout.subscribe(topic, two.handler);
      b.fanout.subscribe(topic, three.handler);
      await live(b.fanout, topic, a.fanout);
      a.fanout.publish(topic, 'hello');
      await Promise.all([one.untilText('hello'), two.untilText('hello'), three.untilText('hello')]);
      assert.equal(three.topics.at(-1), topic, 'the handler is told the topic');
    });

    it("delivers an instance's own publishes to its own subscribers", async () => {
      const topic = fresh();
      const inbox = new Inbox();
      a.fanout.subscribe(topic, inbox.handler);
      await live(a.fanout, topic, a.fanout);
      a.fanout.publish(topic, 'mine');
      await inbox.untilText('mine');
      assert.equal(inbox.texts.filter((t) => t === 'mine').length, 1, 'once');
    });

    it('delivers asynchronously: publish never calls a handler itself', async () => {
      const topic = fresh();
      const inbox = new Inbox();
      a.fanout.subscribe(topic, inbox.handler);
      await live(a.fanout, topic, a.fanout);
      const before = inbox.texts.length;
      a.fanout.publish(topic, 'later');
      assert.equal(inbox.texts.length, before);
      await inbox.untilText('later');
    });

    it("keeps one publisher's order on a topic", async () => {
      const topic = fresh();
      const inbox = new Inbox();
      b.fanout.subscribe(topic, inbox.handler);
      await live(b.fanout, topic, a.fanout);
      const start = inbox.texts.length;
      for (let i = 0; i < 500; i++) a.fanout.publish(topic, String(i));
      await inbox.until(start + 500);
      assert.deepEqual(inbox.texts.slice(start).filter((t) => t !== 'probe').map(Number), Array.from({ length: 500 }, (_, i) => i));
    });

    it('passes bytes and strings through unchanged', async () => {
      const topic = fresh();
      const received: Uint8Array[] = [];
      const inbox = new Inbox();
      b.fanout.subscribe(topic, (data, t) => {
        received.push(data.slice());
        inbox.handler(data, t);
      });
      await live(b.fanout, topic, a.fanout);
      const start = received.length;
      const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
      a.fanout.publish(topic, bytes);
      a.fanout.publish(topic, 'ünïcode 🚀');
      await inbox.untilText('ünïcode 🚀');
      const got = received.slice(start).find((d) => d.byteLength === bytes.byteLength);
      assert.ok(got instanceof Uint8Array);
      assert.deepEqual(Array.from(got), Array.from(bytes));
    });

    it('stops delivering to a handler once unsubscribed', async () => {
      const topic = fresh();
      const gone = new Inbox();
      const stays = new Inbox();
      const off = b.fanout.subscribe(topic, gone.handler);
      b.fanout.subscribe(topic, stays.handler);
      await live(b.fanout, topic, a.fanout);
      a.fanout.publish(topic, 'before');
      await gone.untilText('before');
      off();
      off();
      a.fanout.publish(topic, 'after');
      await stays.untilText('after');
      assert.equal(gone.texts.includes('after'), false);
    });

    it('keeps topics with dots, spaces and wildcard characters apart', async () => {
      const ns = fresh('ns');
      const names = ['a', 'a.b', 'a b', 'a*', 'a.*', '*', 'a.b.c', 'a>', '>a', 'a.>.b', 'a..b', 'a.', 'ä', 'a_b', '_YQ', 'a/b'];
      const inboxes = new Map(names.map((t) => [t, new Inbox()] as const));
      for (const [t, inbox] of inboxes) b.fanout.subscribe(`${ns}.${t}`, inbox.handler);
      await live(b.fanout, `${ns}.a`, a.fanout);
      for (const inbox of inboxes.values()) inbox.texts.length = 0;
      for (const t of names) a.fanout.publish(`${ns}.${t}`, t);
      for (const [t, inbox] of inboxes) await inbox.untilText(t);
      await fence(ns, a.fanout, b.fanout);
      for (const [t, inbox] of inboxes) assert.deepEqual(inbox.texts, [t], `subscriber of ${JSON.stringify(t)}`);
    });

    it('delivers every topic under the segments before a trailing > and nothing else', async () => {
      const ns = fresh('ns');
      const under = new Inbox();
      const everything = new Inbox();
      b.fanout.subscribe(`${ns}.orders.>`, under.handler);
      b.fanout.subscribe('>', everything.handler);
      await live(b.fanout, `${ns}.orders.x`, a.fanout);
      under.texts.length = 0;
      under.topics.length = 0;
      const topics = [`${ns}.orders`, `${ns}.orders.1`, `${ns}.orders.1.x`, `${ns}.ordersX.1`, `${ns}.orders .1`, `${ns}.orders*.1`, `other.${ns}.orders.1`, `${ns}.orders.*`, `${ns}.orders.>`];
      for (const t of topics) a.fanout.publish(t, t);
      const want = [`${ns}.orders.1`, `${ns}.orders.1.x`, `${ns}.orders.*`, `${ns}.orders.>`];
      await under.until(want.length);
      await fence(ns, a.fanout, b.fanout);
      assert.deepEqual(under.texts, want);
      assert.deepEqual(under.topics, want, 'the handler is told which topic');
      for (const t of topics) await everything.untilText(t);
    });

    it('drops publishes after close without throwing', async () => {
      const extra = await open();
      const topic = fresh();
      const inbox = new Inbox();
      a.fanout.subscribe(topic, inbox.handler);
      await extra.close();
      extra.fanout.publish(topic, 'after close');
      assert.deepEqual(extra.fanout.subscribe(topic, () => assert.fail('closed')) instanceof Function, true);
      await fence(topic, a.fanout, a.fanout);
      assert.equal(inbox.texts.includes('after close'), false);
    });
  });
}
