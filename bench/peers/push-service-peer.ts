/**
 * A push service for bench/push (a separate process, so its CPU is not the sender's): HTTPS on
 * loopback with a throwaway certificate, RFC 8030's checks that cost little on every message (TTL
 * present, VAPID header shaped `vapid t=..., k=...`, `aes128gcm`, at most 4096 bytes), 201 with a
 * Location. Messages to `/push/check-<n>` are verified in full: the ES256 signature and `aud`, and
 * the body decrypted with http_ece for the subscription keys the bench gave it (a file of
 * `{endpointId, privateKey, auth}`), answering 400 when anything is wrong.
 *
 *   node --import ./bin/typescript-loader.mjs bench/peers/push-service-peer.ts <port> <key.pem> <cert.pem> <subscriptions.json>
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createECDH, createPublicKey, verify, type ECDH } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ece from 'http_ece';

const [port, keyFile, certFile, subscriptionsFile] = process.argv.slice(2);
if (port === undefined || keyFile === undefined || certFile === undefined || subscriptionsFile === undefined) throw new Error('usage: push-service-peer.ts <port> <key.pem> <cert.pem> <subscriptions.json>');
const subscriptions = new Map<string, { ecdh: ECDH; auth: string }>();
for (const s of JSON.parse(readFileSync(subscriptionsFile, 'utf8')) as { id: string; privateKey: string; auth: string }[]) {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(s.privateKey, 'base64url'));
  subscriptions.set(s.id, { ecdh, auth: s.auth });
}
let origin = '';
let accepted = 0;

function checkVapid(header: string): string | undefined {
  const m = /^vapid t=([\w-]+)\.([\w-]+)\.([\w-]+), ?k=([\w-]+)$/.exec(header);
  if (m === null) return 'not a vapid header';
  const [, h, c, s, k] = m as unknown as [string, string, string, string, string];
  const point = Buffer.from(k, 'base64url');
  const key = createPublicKey({ format: 'jwk', key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') } });
  if (!verify('sha256', Buffer.from(`${h}.${c}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))) return 'bad signature';
  const claims = JSON.parse(Buffer.from(c, 'base64url').toString()) as { aud: string; exp: number };
  if (claims.aud !== origin) return `aud ${claims.aud}`;
  const now = Date.now() / 1000;
  if (!(claims.exp > now && claims.exp <= now + 86400)) return 'exp';
  return undefined;
}

const server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile), keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    const auth = req.headers.authorization ?? '';
    let problem: string | undefined;
    if (req.headers['ttl'] === undefined) problem = 'no TTL';
    else if (!auth.startsWith('vapid t=')) problem = 'no VAPID';
    else if (req.headers['content-encoding'] !== 'aes128gcm') problem = 'not aes128gcm';
    else if (body.length > 4096) problem = 'too large';
    const check = /^\/push\/check-(.+)$/.exec(req.url ?? '');
    if (problem === undefined && check !== null) {
      problem = checkVapid(auth);
      const sub = subscriptions.get(check[1] ?? '');
      if (problem === undefined) {
        try {
          if (sub === undefined) throw new Error('unknown subscription');
          const plaintext = ece.decrypt(body, { version: 'aes128gcm', privateKey: sub.ecdh, authSecret: sub.auth });
          res.setHeader('x-plaintext', plaintext.toString('base64url'));
        } catch (error) {
          problem = `cannot decrypt: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
    }
    if (problem !== undefined) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(problem);
      return;
    }
    accepted++;
    res.writeHead(201, { location: `${origin}/m/${accepted}`, 'content-length': '0' });
    res.end();
  });
});

server.listen(Number(port), '127.0.0.1', () => {
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.stdout.write(`push service listening on ${origin}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
