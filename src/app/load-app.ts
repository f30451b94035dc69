/**
 * `loadApp(dir)`: reads an app folder into one validated, frozen `AppDefinition`.
 * Order: find and evaluate `switchboard.config.ts` (through tsx, so TypeScript works with no build
 * step), check it against `appConfigShape`, then check references between sections (data sources
 * name declared tables, pipelines name declared functions, files exist), then read the files.
 * Every problem is reported at once, each as `<file>:<line> <path> expects <X>, got <Y>`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { SwitchboardError } from '../core/index.ts';
import { appConfigShape } from './config-schema.ts';
import { validate, type Issue } from './shape.ts';
import { lineOfPath } from './source-lines.ts';
import { installPackageAlias } from './package-alias.ts';
import { checkPushSection, toPushDefinition } from './push-section.ts';
import type {
  AppConfig,
  AppDefinition,
  AuthDefinition,
  DataSourceDefinition,
  KeyAttribute,
  ResolverDefinition,
  SourceFile,
  StepDefinition,
  TableDefinition,
  FunctionStepConfig,
} from './types.ts';

const CONFIG_NAMES = ['switchboard.config.ts', 'switchboard.config.mts', 'switchboard.config.js', 'switchboard.config.mjs'];

export function findConfigFile(dir: string): string {
  for (const name of CONFIG_NAMES) {
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  throw new SwitchboardError('SB_CONFIG_LOAD_FAILED', `${dir}: no switchboard.config.ts in this folder (an app folder holds switchboard.config.ts and schema.graphql)`);
}

export async function importConfig(file: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  installPackageAlias();
  try {
    // A query string makes each load a fresh module, so `switchboard dev` sees edits.
    mod = (await tsImport(`${pathToFileURL(file).href}?t=${Date.now()}`, import.meta.url)) as Record<string, unknown>;
  } catch (cause) {
    throw new SwitchboardError('SB_CONFIG_LOAD_FAILED', `${file}: cannot evaluate the config: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  let config = mod['default'] ?? mod['app'];
  // A config evaluated as CommonJS (a folder without "type": "module") arrives wrapped once more.
  if (config !== null && typeof config === 'object' && 'default' in config && Object.keys(config).every((k) => k === 'default' || k === '__esModule')) {
    config = (config as { default: unknown }).default;
  }
  if (config === undefined) throw new SwitchboardError('SB_CONFIG_LOAD_FAILED', `${file}: export the app as the default export: export default defineApp({...})`);
  return config;
}

export async function loadApp(dirInput: string): Promise<AppDefinition> {
  const dir = resolve(dirInput);
  const configFile = findConfigFile(dir);
  const raw = await importConfig(configFile);
  return buildDefinition(dir, configFile, raw, readFileSync(configFile, 'utf8'));
}

/** Validates an already-evaluated config object (also what tests use). */
export function buildDefinition(dir: string, configFile: string, raw: unknown, configText: string): AppDefinition {
  const issues: Issue[] = [];
  validate(appConfigShape, raw, '', issues);
  if (issues.length === 0) checkReferences(dir, raw as AppConfig, issues);
  if (issues.length > 0) {
    const lines = issues.map((i) => `${configFile}:${lineOfPath(configText, i.path)} ${i.path || '(config)'} expects ${i.expected}, got ${i.got}`);
    throw new SwitchboardError('SB_CONFIG_INVALID', `invalid app config:\n  ${lines.join('\n  ')}`, { details: { issues } });
  }
  return deepFreeze(toDefinition(dir, configFile, raw as AppConfig));
}

const filePath = (dir: string, p: string): string => (isAbsolute(p) ? p : join(dir, p));
const isFolder = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/** AWS_LAMBDA needs its authorizer; the authorizer's file must exist and its token expression compile. */
function checkLambdaAuth(config: AppConfig, issues: Issue[], mustExist: (path: string, p: string, what: string) => void): void {
  const auth = config.api?.auth;
  const lambda = auth?.lambda;
  const lambdaMode = auth?.defaultMode === 'AWS_LAMBDA' || (auth?.additionalModes ?? []).includes('AWS_LAMBDA');
  if (lambdaMode && lambda === undefined) {
    issues.push({ path: 'api.auth.lambda', expected: "{ handler: 'functions/<name>.ts' } (AWS_LAMBDA is an auth mode)", got: 'nothing' });
  }
  if (lambda === undefined) return;
  mustExist('api.auth.lambda.handler', lambda.handler, 'function');
  const expression = lambda.identityValidationExpression;
  if (expression === undefined) return;
  try {
    new RegExp(expression);
  } catch (error) {
    issues.push({ path: 'api.auth.lambda.identityValidationExpression', expected: `a regular expression (${error instanceof Error ? error.message : String(error)})`, got: JSON.stringify(expression) });
  }
}

function checkReferences(dir: string, config: AppConfig, issues: Issue[]): void {
  const tables = config.tables ?? {};
  const dataSources = config.dataSources ?? {};
  const functions = config.functions ?? {};
  const mustExist = (path: string, p: string, what: string) => {
    if (!existsSync(filePath(dir, p))) issues.push({ path, expected: `an existing ${what} file (relative to ${dir})`, got: JSON.stringify(p) });
  };
  const dataSourceRef = (path: string, name: string) => {
    if (dataSources[name] === undefined) issues.push({ path, expected: `a data source declared in dataSources (${Object.keys(dataSources).join(', ') || 'none declared'})`, got: JSON.stringify(name) });
  };
  mustExist('api.schema', config.api?.schema ?? 'schema.graphql', 'schema');
  checkLambdaAuth(config, issues, mustExist);
  const pipes = new Map<string, string>();
  for (const [name, t] of Object.entries(tables)) {
    if (t.changes === undefined) continue;
    const bus = t.changes.bus;
    if (bus !== 'default' && config.buses?.[bus] === undefined) {
      issues.push({ path: `tables.${name}.changes.bus`, expected: `"default" or a bus declared in buses (${Object.keys(config.buses ?? {}).join(', ') || 'none declared'})`, got: JSON.stringify(bus) });
    }
    const pipe = t.changes.pipeName ?? `${name}-changes`;
    const other = pipes.get(pipe);
    if (other !== undefined) issues.push({ path: `tables.${name}.changes.pipeName`, expected: `a pipe name not used by another table (tables.${other} uses it)`, got: JSON.stringify(pipe) });
    else pipes.set(pipe, name);
  }
  for (const [name, d] of Object.entries(config.apiDestinations ?? {})) {
    if (config.connections?.[d.connection] === undefined) {
      issues.push({ path: `apiDestinations.${name}.connection`, expected: `a connection declared in connections (${Object.keys(config.connections ?? {}).join(', ') || 'none declared'})`, got: JSON.stringify(d.connection) });
    }
  }
  for (const [name, c] of Object.entries(config.connections ?? {})) {
    const needs = c.authorizationType === 'API_KEY' ? 'apiKey' : 'basic';
    if (c[needs] === undefined) issues.push({ path: `connections.${name}.${needs}`, expected: `{ ${needs === 'apiKey' ? 'name, value' : 'username, password'} } for authorizationType ${c.authorizationType}`, got: 'nothing' });
  }
  for (const [name, ds] of Object.entries(dataSources)) {
    if (ds.type === 'TABLE' && tables[ds.table] === undefined) {
      issues.push({ path: `dataSources.${name}.table`, expected: `a table declared in tables (${Object.keys(tables).join(', ') || 'none declared'})`, got: JSON.stringify(ds.table) });
    }
    if (ds.type === 'FUNCTION') mustExist(`dataSources.${name}.handler`, ds.handler, 'function');
  }
  for (const [name, fn] of Object.entries(functions)) {
    dataSourceRef(`functions.${name}.dataSource`, fn.dataSource);
    mustExist(`functions.${name}.code`, fn.code, 'resolver');
  }
  for (const [field, r] of Object.entries(config.resolvers ?? {})) {
    const path = `resolvers['${field}']`;
    if (!/^[A-Za-z_]\w*\.[A-Za-z_]\w*$/.test(field)) issues.push({ path, expected: 'a key of the form "Type.field"', got: JSON.stringify(field) });
    if ('pipeline' in r) {
      r.pipeline.forEach((step, i) => {
        if (typeof step === 'string') {
          if (functions[step] === undefined) issues.push({ path: `${path}.pipeline[${i}]`, expected: `a function declared in functions (${Object.keys(functions).join(', ') || 'none declared'})`, got: JSON.stringify(step) });
        } else {
          dataSourceRef(`${path}.pipeline[${i}].dataSource`, step.dataSource);
          mustExist(`${path}.pipeline[${i}].code`, step.code, 'resolver');
        }
      });
      if (r.pipeline.length > 10) issues.push({ path: `${path}.pipeline`, expected: 'at most 10 functions', got: `${r.pipeline.length}` });
      if (r.code !== undefined) mustExist(`${path}.code`, r.code, 'resolver');
    } else if ('dataSource' in r) {
      dataSourceRef(`${path}.dataSource`, r.dataSource);
      mustExist(`${path}.code`, r.code, 'resolver');
    } else if ('handler' in r) {
      mustExist(`${path}.handler`, r.handler, 'resolver');
    }
  }
  checkPushSection(dir, config, issues);
  if (config.site !== undefined && !isFolder(filePath(dir, config.site))) {
    issues.push({ path: 'site', expected: `an existing folder (relative to ${dir})`, got: JSON.stringify(config.site) });
  }
  const modes = [config.api?.auth?.defaultMode ?? 'API_KEY', ...(config.api?.auth?.additionalModes ?? [])];
  if (config.api?.auth?.guest !== undefined && !modes.includes('AWS_IAM')) {
    issues.push({ path: 'api.auth.guest', expected: 'AWS_IAM among the auth modes (guests sign requests with SigV4)', got: `modes ${modes.join(', ')}` });
  }
}

function source(dir: string, p: string): SourceFile {
  const path = filePath(dir, p);
  return { path, text: readFileSync(path, 'utf8') };
}

function keyAttr(k: string | KeyAttribute): KeyAttribute {
  return typeof k === 'string' ? { name: k, type: 'S' } : k;
}

function toDefinition(dir: string, configFile: string, config: AppConfig): AppDefinition {
  const tables: Record<string, TableDefinition> = {};
  for (const [name, t] of Object.entries(config.tables ?? {})) {
    const indexes: Record<string, TableDefinition['indexes'][string]> = {};
    for (const [iname, idx] of Object.entries(t.globalSecondaryIndexes ?? {})) {
      indexes[iname] = { partitionKey: keyAttr(idx.partitionKey), ...(idx.sortKey ? { sortKey: keyAttr(idx.sortKey) } : {}), kind: 'GSI' };
    }
    for (const [iname, idx] of Object.entries(t.localSecondaryIndexes ?? {})) {
      indexes[iname] = { partitionKey: keyAttr(t.partitionKey), sortKey: keyAttr(idx.sortKey), kind: 'LSI' };
    }
    const changes = t.changes === undefined ? {} : { changes: { bus: t.changes.bus, pipeName: t.changes.pipeName ?? `${name}-changes`, viewType: t.changes.viewType ?? 'NEW_AND_OLD_IMAGES' } };
    tables[name] = { name, partitionKey: keyAttr(t.partitionKey), ...(t.sortKey ? { sortKey: keyAttr(t.sortKey) } : {}), indexes, ...changes };
  }
  const dataSources: Record<string, DataSourceDefinition> = {};
  for (const [name, ds] of Object.entries(config.dataSources ?? {})) {
    dataSources[name] = ds.type === 'FUNCTION' ? { ...ds, handler: filePath(dir, ds.handler), name } : { ...ds, name };
  }
  const step = (s: FunctionStepConfig): StepDefinition => ({ dataSource: s.dataSource, code: source(dir, s.code) });
  const resolvers: ResolverDefinition[] = Object.entries(config.resolvers ?? {}).map(([field, r]) => {
    const [typeName = '', fieldName = ''] = field.split('.');
    if ('pipeline' in r) {
      const steps = r.pipeline.map((s) => step(typeof s === 'string' ? (config.functions?.[s] as FunctionStepConfig) : s));
      return { kind: 'PIPELINE', typeName, fieldName, steps, ...(r.code !== undefined ? { code: source(dir, r.code) } : {}) };
    }
    if ('dataSource' in r) return { kind: 'UNIT', typeName, fieldName, dataSource: r.dataSource, code: source(dir, r.code) };
    if ('handler' in r) return { kind: 'PLAIN', typeName, fieldName, handler: source(dir, r.handler) };
    return { kind: 'INLINE', typeName, fieldName, resolve: r.resolve };
  });
  const a = config.api?.auth ?? {};
  const auth: AuthDefinition = {
    defaultMode: a.defaultMode ?? 'API_KEY',
    additionalModes: [...new Set(a.additionalModes ?? [])].filter((m) => m !== (a.defaultMode ?? 'API_KEY')),
    apiKeys: (a.apiKeys ?? []).flatMap((k) =>
      k.key === undefined ? [] : [{ key: k.key, ...(k.expires !== undefined ? { expires: Date.parse(k.expires) } : {}), ...(k.description !== undefined ? { description: k.description } : {}) }],
    ),
    accessKeys: a.accessKeys ?? [],
    ...(a.guest ? { guest: a.guest } : {}),
    ...(a.userPool ? { userPool: a.userPool } : {}),
    ...(a.oidc ? { oidc: a.oidc } : {}),
    ...(a.lambda
      ? {
          lambda: {
            handler: source(dir, a.lambda.handler),
            resultTtlSeconds: a.lambda.resultTtlSeconds ?? 0,
            ...(a.lambda.identityValidationExpression !== undefined ? { identityValidationExpression: a.lambda.identityValidationExpression } : {}),
          },
        }
      : {}),
  };
  return {
    dir,
    name: config.name ?? config.api?.name ?? basename(dir),
    configFile,
    schema: source(dir, config.api?.schema ?? 'schema.graphql'),
    auth,
    env: config.api?.env ?? {},
    maxQueryDepth: config.api?.maxQueryDepth ?? 75,
    backendOnly: [...new Set(config.api?.backendOnly ?? [])],
    subscriptions: { maxPerConnection: config.api?.subscriptions?.maxPerConnection ?? 100, filterLimits: config.api?.subscriptions?.filterLimits ?? {} },
    tables,
    dataSources,
    resolvers,
    buses: config.buses ?? {},
    rules: config.rules ?? {},
    region: config.region ?? 'us-east-1',
    links: config.links ?? {},
    connections: config.connections ?? {},
    apiDestinations: config.apiDestinations ?? {},
    workflows: config.workflows ?? {},
    ...(config.push !== undefined ? { push: toPushDefinition(dir, config.push) } : {}),
    ...(config.site !== undefined ? { site: filePath(dir, config.site) } : {}),
    regions: config.regions ?? {},
    routes: config.routes ?? {},
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
