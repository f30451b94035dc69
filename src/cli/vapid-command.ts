/**
 * `switchboard vapid [--json]`: a new VAPID key pair for Web Push, in the format `defineApp({ push:
 * { vapid } })` and `web-push` both take (base64url P-256: 87-character public key, 43-character
 * private key).
 */
import { generateVapidKeys } from '../push/index.ts';
import type { CommandSpec, ParsedArgs } from './args.ts';

export const VAPID_COMMAND: CommandSpec = {
  name: 'vapid',
  summary: 'generate a VAPID key pair for Web Push (push.vapid in switchboard.config.ts)',
  usage: 'switchboard vapid [--json]',
  options: { json: 'flag' },
  maxPositionals: 0,
};

export function vapidCommand(args: ParsedArgs, write: (text: string) => void = (t) => void process.stdout.write(t)): number {
  const keys = generateVapidKeys();
  if (args.options.json === true) {
    write(JSON.stringify(keys) + '\n');
    return 0;
  }
  write(
    [
      'A new VAPID key pair (P-256). Browsers subscribe with the public key; keep the private key secret.',
      '',
      `  publicKey   ${keys.publicKey}`,
      `  privateKey  ${keys.privateKey}`,
      '',
      'In switchboard.config.ts (subject: a mailto: or https: contact of yours; example.com and localhost are refused):',
      '',
      `  push: { vapid: { subject: 'mailto:you@your-domain.com', publicKey: '${keys.publicKey}', privateKey: '${keys.privateKey}' } }`,
      '',
      'Subscriptions are tied to the public key. To rotate, list the new key first in push.keys and keep the old one',
      'after it until its subscribers have subscribed again.',
      '',
    ].join('\n'),
  );
  return 0;
}
