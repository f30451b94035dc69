/**
 * bench/push: encrypted Web Push sends per second to a push service on loopback (HTTPS, a separate
 * process: `peers/push-service-peer.ts`), Switchboard's sender beside the `web-push` library
 * (3.6.7) in the same run, same payload, same 1,000 subscriptions, same concurrency.
 *
 * Peers: web-push with a keep-alive `https.Agent` — what it gets by default on Node 20, whose global
 * agent keeps connections alive — and, for reference, web-push with a new connection per message
 * (Node <= 18's default, or `keepAlive: false`). The goal (>= 2.5x) is against the first.
 * Before timing, each side's message to a `/push/check-*` endpoint is verified by the push service
 * (ES256 signature, aud, decryption with http_ece), so both sides are measured doing the real work.
 * Why ours is faster: the VAPID JWT is signed once per origin and reused, the subscription's key
 * is imported once (not per message), a per-message ECDH key pair costs one fixed-base multiplication
 * on the send path, HKDF is five HMACs over buffers, and connections are kept alive.
 * Env: BENCH_ROUNDS (default 3), PUSH_MESSAGES per round (default 3000), PUSH_CONCURRENCY (default 32).
 */
import { execFileSync } from 'node:child_process';
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webpush from 'web-push';
import { systemClock } from '../src/core/index.ts';
import { createEphemeralKeySource, createHttpTransport, createPushSender, createVapidAuthorizer, generateVapidKeys, importVapidKeys, parseUserAgentKeys, type PushRecipient } from '../src/push/index.ts';
import { freePort, startServer } from './lib/process.ts';
import { median, printTable } from './lib/report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MESSAGES = Number(process.env.PUSH_MESSAGES ?? 3000);
const CONCURRENCY = Number(process.env.PUSH_CONCURRENCY ?? 32);
const SUBSCRIPTIONS = 1000;
const SUBJECT = 'mailto:bench@switchboard-bench.dev';
const PAYLOAD = JSON.stringify({
  notification: 'out-for-delivery',
  title: 'Your order is on its way',
  body: 'Order 0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a has left the restaurant.',
  tag: 'order-0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
  url: '/push/?order=0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
  data: { status: 'OUT_FOR_DELIVERY', orderId: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a' },
});

interface Side {
  readonly name: string;
  send(i: number): Promise<void>;
  check(): Promise<void>;
  close(): void;
}

/** Sends `count` messages with `concurrency` in flight; answers messages/s and this process's CPU µs per message (all threads). */
async function measure(side: Side, count: number): Promise<{ perSecond: number; cpuUs: number }> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const lane = async (): Promise<void> => {
    while (next < count) await side.send(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { perSecond: count / seconds, cpuUs: (used.user + used.system) / count };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-push-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const ca = readFileSync(certFile);
  const subs = Array.from({ length: SUBSCRIPTIONS }, (_, i) => {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    return { id: `s${i}`, privateKey: ecdh.getPrivateKey().toString('base64url'), p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
  });
  writeFileSync(join(dir, 'subscriptions.json'), JSON.stringify(subs));
  const port = await freePort();
  const origin = `https://127.0.0.1:${port}`;
  const peer = await startServer(process.execPath, ['--import', './bin/typescript-loader.mjs', 'bench/peers/push-service-peer.ts', String(port), keyFile, certFile, join(dir, 'subscriptions.json')], /push service listening/);
  const vapid = generateVapidKeys();

  const ours = (): Side => {
    const transport = createHttpTransport({ ca });
    const pool = createEphemeralKeySource();
    const sender = createPushSender({ transport: transport.send, clock: systemClock, keys: pool });
    const authorizer = createVapidAuthorizer({ keys: importVapidKeys(vapid), subject: SUBJECT, clock: systemClock });
    const recipient = (path: string, s: (typeof subs)[number]): PushRecipient => {
      const keys = parseUserAgentKeys(s.p256dh, s.auth);
      if (!keys.ok) throw new Error(keys.reason);
      return { endpoint: new URL(`${origin}/push/${path}`), origin, keys: keys.keys, vapid: authorizer };
    };
    const recipients = subs.map((s) => recipient(s.id, s));
    const options = { ttlSeconds: 3600, urgency: 'high' as const };
    return {
      name: 'switchboard',
      async send(i) {
        const outcome = await sender.send(recipients[i % SUBSCRIPTIONS] as PushRecipient, PAYLOAD, options);
        if (outcome.kind !== 'sent') throw new Error(`switchboard send: ${JSON.stringify(outcome)}`);
      },
      async check() {
        const first = subs[0] as (typeof subs)[number];
        const outcome = await sender.send(recipient(`check-${first.id}`, first), PAYLOAD, options);
        if (outcome.kind !== 'sent') throw new Error(`the push service refused switchboard's message: ${JSON.stringify(outcome)}`);
      },
      close() {
        console.log(`switchboard: ${pool.generated} per-message key pairs generated`);
        sender.close();
        pool.close();
        transport.close();
      },
    };
  };

  const peerSide = (keepAlive: boolean): Side => {
    // Node 20's https.globalAgent is { keepAlive: true, scheduling: 'lifo', timeout: 5000 }: the same, with the test CA.
    const agent = new Agent({ keepAlive, scheduling: 'lifo', timeout: 5000, ca });
    const options = { vapidDetails: { subject: SUBJECT, publicKey: vapid.publicKey, privateKey: vapid.privateKey }, TTL: 3600, urgency: 'high' as const, agent };
    const subscription = (path: string, s: (typeof subs)[number]) => ({ endpoint: `${origin}/push/${path}`, keys: { p256dh: s.p256dh, auth: s.auth } });
    const targets = subs.map((s) => subscription(s.id, s));
    return {
      name: keepAlive ? 'web-push 3.6.7 (keep-alive agent, Node 20 default)' : 'web-push 3.6.7 (new connection per message)',
      async send(i) {
        const res = await webpush.sendNotification(targets[i % SUBSCRIPTIONS] as ReturnType<typeof subscription>, PAYLOAD, options);
        if (res.statusCode !== 201) throw new Error(`web-push send: ${res.statusCode}`);
      },
      async check() {
        const first = subs[0] as (typeof subs)[number];
        const res = await webpush.sendNotification(subscription(`check-${first.id}`, first), PAYLOAD, options);
        const plaintext = Buffer.from(String(res.headers['x-plaintext']), 'base64url').toString();
        if (res.statusCode !== 201 || plaintext !== PAYLOAD) throw new Error(`the push service refused web-push's message: ${res.statusCode}`);
      },
      close() {
        agent.destroy();
      },
    };
  };

  const sides = [ours(), peerSide(true), peerSide(false)];
  const results = new Map<string, { perSecond: number[]; cpuUs: number[] }>(sides.map((s) => [s.name, { perSecond: [], cpuUs: [] }]));
  const peerCpu = new Map<string, number[]>(sides.map((s) => [s.name, []]));
  try {
    for (const side of sides) {
      await side.check();
      await measure(side, Math.min(1000, MESSAGES));
    }
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order so neither side always runs on a warmer machine.
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const before = peer.cpuSeconds();
        const m = await measure(side, MESSAGES);
        results.get(side.name)?.perSecond.push(m.perSecond);
        results.get(side.name)?.cpuUs.push(m.cpuUs);
        peerCpu.get(side.name)?.push(((peer.cpuSeconds() - before) * 1e6) / MESSAGES);
      }
    }
  } finally {
    for (const side of sides) side.close();
    await peer.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const fig = (name: string, key: 'perSecond' | 'cpuUs'): number => median(results.get(name)?.[key] ?? []);
  const [us, keepAlive, fresh] = sides.map((s) => s.name) as [string, string, string];
  console.log(`${MESSAGES} messages per round, ${ROUNDS} rounds (medians), ${CONCURRENCY} in flight, ${SUBSCRIPTIONS} subscriptions, ${Buffer.byteLength(PAYLOAD)}-byte payload, HTTPS keep-alive push service in its own process`);
  printTable('Web Push: encrypted sends/s to a loopback push service', [
    { metric: 'sends/s', ours: fig(us, 'perSecond'), peer: fig(keepAlive, 'perSecond'), peerName: keepAlive, better: 'higher', goal: '>= 2.5x' },
    { metric: 'sends/s', ours: fig(us, 'perSecond'), peer: fig(fresh, 'perSecond'), peerName: fresh, better: 'higher' },
    { metric: 'sender CPU µs/message (all threads)', ours: fig(us, 'cpuUs'), peer: fig(keepAlive, 'cpuUs'), peerName: keepAlive, better: 'lower' },
    { metric: 'push service CPU µs/message', ours: median(peerCpu.get(us) ?? []), peer: median(peerCpu.get(keepAlive) ?? []), peerName: keepAlive, better: 'lower' },
  ]);
}
