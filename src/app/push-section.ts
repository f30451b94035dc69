/**
 * The `push` section beyond its shape: a VAPID identity is required (`vapid`, or `keys` during a
 * rotation), subjects must be real contacts, key pairs must be well formed and belong together
 * (a private key is never echoed in a message), the bus and the page folder must exist. Then the
 * defaults are filled in.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { checkVapidKeys, checkVapidSubject, DEFAULT_PUSH_SERVICES } from '../push/index.ts';
import type { Issue } from './shape.ts';
import type { AppConfig, PushConfig, PushDefinition, PushNotificationDefinition, VapidConfig } from './types.ts';

const secret = (value: string): string => `a ${value.length}-character string (not shown)`;

function checkKey(key: VapidConfig, path: string, issues: Issue[]): void {
  const subjectProblem = checkVapidSubject(key.subject);
  if (subjectProblem !== undefined) issues.push({ path: `${path}.subject`, expected: subjectProblem, got: JSON.stringify(key.subject) });
  if (key.publicKey === undefined && key.privateKey === undefined) return;
  if (key.publicKey === undefined || key.privateKey === undefined) {
    const missing = key.publicKey === undefined ? 'publicKey' : 'privateKey';
    issues.push({ path: `${path}.${missing}`, expected: 'both publicKey and privateKey (or neither, to have a pair generated in the data folder)', got: 'nothing' });
    return;
  }
  const problem = checkVapidKeys({ publicKey: key.publicKey, privateKey: key.privateKey });
  if (problem !== undefined) issues.push({ path: `${path}.${problem.key}`, expected: problem.expected, got: problem.key === 'privateKey' ? secret(key.privateKey) : JSON.stringify(key.publicKey) });
}

export function checkPushSection(dir: string, config: AppConfig, issues: Issue[]): void {
  const push = config.push;
  if (push === undefined) return;
  if (push.vapid !== undefined && push.keys !== undefined) issues.push({ path: 'push.keys', expected: 'either vapid or keys, not both (keys is for a rotation: the current key first)', got: 'both' });
  else if (push.vapid === undefined && push.keys === undefined) issues.push({ path: 'push.vapid', expected: "a VAPID identity { subject: 'mailto:you@your-domain.com' } (keys from `switchboard vapid`, or generated when omitted)", got: 'nothing (it is required)' });
  if (push.vapid !== undefined) checkKey(push.vapid, 'push.vapid', issues);
  if (push.keys !== undefined) {
    if (push.keys.length === 0) issues.push({ path: 'push.keys', expected: 'at least one key, the current one first', got: 'an empty array' });
    const seen = new Set<string>();
    push.keys.forEach((k, i) => {
      checkKey(k, `push.keys[${i}]`, issues);
      if (seen.has(k.publicKey)) issues.push({ path: `push.keys[${i}].publicKey`, expected: 'a key not listed before', got: JSON.stringify(k.publicKey) });
      seen.add(k.publicKey);
    });
  }
  const bus = push.bus ?? 'default';
  if (bus !== 'default' && config.buses?.[bus] === undefined) {
    issues.push({ path: 'push.bus', expected: `"default" or a bus declared in buses (${Object.keys(config.buses ?? {}).join(', ') || 'none declared'})`, got: JSON.stringify(bus) });
  }
  if (push.page !== undefined && !existsSync(isAbsolute(push.page) ? push.page : join(dir, push.page))) {
    issues.push({ path: 'push.page', expected: `an existing folder (relative to ${dir})`, got: JSON.stringify(push.page) });
  }
}

export function toPushDefinition(dir: string, push: PushConfig): PushDefinition {
  const notifications: Record<string, PushNotificationDefinition> = {};
  for (const [name, n] of Object.entries(push.notifications ?? {})) {
    notifications[name] = {
      ...(n.title !== undefined ? { title: n.title } : {}),
      ...(n.body !== undefined ? { body: n.body } : {}),
      ...(n.icon !== undefined ? { icon: n.icon } : {}),
      ttlSeconds: n.ttlSeconds ?? 3600,
      urgency: n.urgency ?? 'normal',
    };
  }
  return {
    keys: push.keys ?? (push.vapid !== undefined ? [push.vapid] : []),
    bus: push.bus ?? 'default',
    allowedEndpoints: push.allowedEndpoints ?? DEFAULT_PUSH_SERVICES,
    notifications,
    ...(push.page !== undefined ? { page: isAbsolute(push.page) ? push.page : join(dir, push.page) } : {}),
  };
}
