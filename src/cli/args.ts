/**
 * Command-line parsing for `switchboard`: positional arguments and `--flag value` / `--flag=value`
 * / boolean `--flag` options, checked against each command's declared options so a typo is an error.
 */
export interface ParsedArgs {
  readonly command: string;
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | true>>;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Option name -> 'value' (takes a value) or 'flag' (boolean). */
  readonly options: Readonly<Record<string, 'value' | 'flag'>>;
  readonly maxPositionals: number;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseArgs(argv: readonly string[], specs: readonly CommandSpec[]): ParsedArgs {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { command: 'help', positionals: [], options: {} };
  if (first === '--version' || first === '-v') return { command: 'version', positionals: [], options: {} };
  const spec = specs.find((s) => s.name === first);
  if (spec === undefined) throw new UsageError(`unknown command "${first}"; commands: ${specs.map((s) => s.name).join(', ')}`);
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const kind = name === 'help' ? 'flag' : spec.options[name];
    if (kind === undefined) throw new UsageError(`${spec.name}: unknown option --${name}\nusage: ${spec.usage}`);
    if (kind === 'flag') {
      options[name] = true;
    } else if (eq !== -1) {
      options[name] = arg.slice(eq + 1);
    } else {
      const value = rest[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${spec.name}: option --${name} expects a value\nusage: ${spec.usage}`);
      options[name] = value;
      i++;
    }
  }
  if (positionals.length > spec.maxPositionals) throw new UsageError(`${spec.name}: too many arguments\nusage: ${spec.usage}`);
  return { command: spec.name, positionals, options };
}

export function optionString(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  return typeof v === 'string' ? v : undefined;
}

export function optionPort(args: ParsedArgs, name: string, fallback: number): number {
  const v = optionString(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} expects a port number 0..65535, got "${v}"`);
  return n;
}
