/**
 * Dev credentials and server secrets, kept in the data folder so they survive restarts.
 *
 * Where the config declares no API key (and API_KEY is an enabled mode) or no access key, one is
 * generated on first start and reused after, like the fixed test credentials local AWS emulators
 * give. `credentials.json` lists every active credential so scripts and SDK clients can be
 * pointed at the server at once; `secrets.json` (mode 0600) holds what only the server reads.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppDefinition, AccessKeyConfig } from '../app/index.ts';

export interface ServerSecrets {
  readonly version: 1;
  /** Generated API keys per app name (used only when the config declares none). */
  readonly apiKeys: Record<string, string>;
  readonly accessKeys: Record<string, AccessKeyConfig>;
  /** 32 bytes, base64: encrypts guest session tokens. */
  readonly guestKey: string;
}

export interface ActiveCredentials {
  readonly apiKeys: readonly { readonly key: string; readonly expires?: number; readonly description?: string }[];
  readonly accessKeys: readonly AccessKeyConfig[];
  readonly guestKey: Buffer;
  readonly generated: { readonly apiKey: boolean; readonly accessKey: boolean };
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomString(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(bytes[i] ?? 0) % alphabet.length];
  return out;
}

/** AppSync-style key: `da2-` and 26 lower-case alphanumerics. */
export function newApiKey(): string {
  return `da2-${randomString(ALNUM, 26)}`;
}

export function newAccessKey(): AccessKeyConfig {
  return {
    accessKeyId: `AKIA${randomString(UPPER_ALNUM, 16)}`,
    secretAccessKey: randomBytes(30).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 40),
    userArn: 'arn:aws:iam::000000000000:user/switchboard-dev',
    accountId: '000000000000',
  };
}

function readSecrets(file: string): ServerSecrets {
  if (!existsSync(file)) return { version: 1, apiKeys: {}, accessKeys: {}, guestKey: randomBytes(32).toString('base64') };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as ServerSecrets;
  return { version: 1, apiKeys: parsed.apiKeys ?? {}, accessKeys: parsed.accessKeys ?? {}, guestKey: parsed.guestKey };
}

function writeAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}

export function resolveCredentials(app: AppDefinition, dataDir: string): ActiveCredentials {
  mkdirSync(dataDir, { recursive: true });
  const secretsFile = join(dataDir, 'secrets.json');
  const secrets = readSecrets(secretsFile);
  const modes = [app.auth.defaultMode, ...app.auth.additionalModes];
  let apiKeys = app.auth.apiKeys;
  let generatedApiKey = false;
  if (apiKeys.length === 0 && modes.includes('API_KEY')) {
    const key = secrets.apiKeys[app.name] ?? newApiKey();
    secrets.apiKeys[app.name] = key;
    apiKeys = [{ key, description: 'generated dev key' }];
    generatedApiKey = true;
  }
  let accessKeys = app.auth.accessKeys;
  let generatedAccessKey = false;
  if (accessKeys.length === 0) {
    const key = secrets.accessKeys[app.name] ?? newAccessKey();
    secrets.accessKeys[app.name] = key;
    accessKeys = [key];
    generatedAccessKey = true;
  }
  writeAtomic(secretsFile, JSON.stringify(secrets, null, 2) + '\n', 0o600);
  const now = Date.now();
  const listed = {
    apiKeys: apiKeys.filter((k) => k.expires === undefined || k.expires > now).map((k) => k.key),
    accessKeys: accessKeys.map((k) => ({ accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey })),
  };
  writeAtomic(join(dataDir, 'credentials.json'), JSON.stringify(listed, null, 2) + '\n', 0o600);
  return { apiKeys, accessKeys, guestKey: Buffer.from(secrets.guestKey, 'base64'), generated: { apiKey: generatedApiKey, accessKey: generatedAccessKey } };
}
