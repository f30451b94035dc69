/**
 * `switchboard dlq ...` and `switchboard trace <eventId>`: operator commands against a running
 * server's event-bus API, signed with the first access key of `<data>/credentials.json` (the file
 * the server writes) unless `--access-key-id`/`--secret-access-key` are given.
 *
 *   switchboard dlq list [--bus default]            one line per dead letter
 *   switchboard dlq show <id>                        the letter with its event, as JSON
 *   switchboard dlq redrive <id...> | --all [--bus]  back to delivery, fresh retry budget
 *   switchboard dlq delete <id...>
 *   switchboard trace <eventId> [--bus default]      rules matched or not (and why), inputs, attempts
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { callBusApi, type BusCallTarget } from './bus-client.ts';
import { optionString, UsageError, type ParsedArgs } from './args.ts';

export const BUS_CLIENT_OPTIONS = { url: 'value', data: 'value', bus: 'value', 'access-key-id': 'value', 'secret-access-key': 'value', all: 'flag', json: 'flag' } as const;

function target(args: ParsedArgs): BusCallTarget {
  const url = optionString(args, 'url') ?? 'http://127.0.0.1:4000';
  const id = optionString(args, 'access-key-id');
  const secret = optionString(args, 'secret-access-key');
  if (id !== undefined && secret !== undefined) return { url, credentials: { accessKeyId: id, secretAccessKey: secret } };
  const file = resolve(optionString(args, 'data') ?? '.switchboard', 'credentials.json');
  let keys: { accessKeyId: string; secretAccessKey: string }[] = [];
  try {
    keys = (JSON.parse(readFileSync(file, 'utf8')) as { accessKeys?: typeof keys }).accessKeys ?? [];
  } catch {
    throw new UsageError(`no credentials: ${file} is missing or not JSON; pass --data <dir> or --access-key-id and --secret-access-key`);
  }
  const first = keys[0];
  if (first === undefined) throw new UsageError(`no access key in ${file}`);
  return { url, credentials: first };
}

const busInput = (args: ParsedArgs): { EventBusName?: string } => {
  const bus = optionString(args, 'bus');
  return bus === undefined ? {} : { EventBusName: bus };
};

function ids(args: ParsedArgs, from: number): number[] {
  const out = args.positionals.slice(from).map(Number);
  if (out.some((n) => !Number.isInteger(n) || n <= 0)) throw new UsageError('dead-letter ids are positive integers (see switchboard dlq list)');
  return out;
}

const print = (value: unknown): void => void process.stdout.write(JSON.stringify(value, null, 2) + '\n');

interface Letter {
  readonly Id: number;
  readonly EventId: string;
  readonly Time: number;
  readonly Attributes: Readonly<Record<string, string>>;
}

export async function dlqCommand(args: ParsedArgs): Promise<number> {
  const [action] = args.positionals;
  const to = target(args);
  const call = (op: string, input: object) => callBusApi(to, `SwitchboardEvents.${op}`, input);
  switch (action) {
    case 'list': {
      const letters: Letter[] = [];
      for (let token: string | undefined; ; ) {
        const page = await call('ListDeadLetters', { ...busInput(args), ...(token !== undefined ? { NextToken: token } : {}) });
        letters.push(...(page['DeadLetters'] as Letter[]));
        token = page['NextToken'] as string | undefined;
        if (token === undefined) break;
      }
      if (args.options.json === true) print(letters);
      else if (letters.length === 0) process.stdout.write('no dead letters\n');
      else for (const l of letters) process.stdout.write(`${l.Id}\t${new Date(l.Time * 1000).toISOString()}\t${l.EventId}\t${l.Attributes['RULE_ARN']} → ${l.Attributes['TARGET_ID']}\t${l.Attributes['ERROR_CODE']}: ${l.Attributes['ERROR_MESSAGE']}\n`);
      return 0;
    }
    case 'show':
      print((await call('GetDeadLetter', { Id: ids(args, 1)[0] }))['DeadLetter']);
      return 0;
    case 'redrive': {
      const chosen = ids(args, 1);
      if (args.options.all !== true && chosen.length === 0) throw new UsageError('dlq redrive: give dead-letter ids, or --all');
      const out = await call('RedriveDeadLetters', args.options.all === true ? { ...busInput(args), All: true } : { Ids: chosen });
      process.stdout.write(`redriven: ${String(out['Redriven'])}${(out['Unknown'] as number[]).length > 0 ? `; not dead letters: ${(out['Unknown'] as number[]).join(', ')}` : ''}\n`);
      return 0;
    }
    case 'delete': {
      const chosen = ids(args, 1);
      if (chosen.length === 0) throw new UsageError('dlq delete: give dead-letter ids');
      process.stdout.write(`deleted: ${String((await call('DeleteDeadLetters', { Ids: chosen }))['Deleted'])}\n`);
      return 0;
    }
    default:
      throw new UsageError('dlq: expected list, show <id>, redrive <id...>|--all, or delete <id...>');
  }
}

export async function traceCommand(args: ParsedArgs): Promise<number> {
  const [eventId] = args.positionals;
  if (eventId === undefined) throw new UsageError('trace: an event id is required');
  print(await callBusApi(target(args), 'SwitchboardEvents.GetEventTrace', { EventId: eventId, ...busInput(args) }));
  return 0;
}
