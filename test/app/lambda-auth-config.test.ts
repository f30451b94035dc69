/** `api.auth.lambda` in the app config: what AWS_LAMBDA needs, checked at load with file and line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadApp } from '../../src/app/index.ts';
import { appFolder as app, loadError } from '../support/app-folder.ts';

const appFolder = (auth: string, files: Record<string, string> = {}): string => app(`export default {\n  api: {\n    auth: ${auth},\n  },\n};\n`, files);
const configError = (dir: string): Promise<string> => loadError(dir);

const AUTHORIZER = { 'functions/authorizer.ts': 'export const handler = async () => ({ isAuthorized: true });\n' };

test('lambda settings load with their defaults: resultTtlSeconds 0, no identityValidationExpression', async () => {
  const app = await loadApp(appFolder("{ defaultMode: 'AWS_LAMBDA', lambda: { handler: 'functions/authorizer.ts' } }", AUTHORIZER));
  assert.equal(app.auth.lambda?.resultTtlSeconds, 0);
  assert.match(app.auth.lambda?.handler.path ?? '', /functions\/authorizer\.ts$/);
  assert.equal(app.auth.lambda?.identityValidationExpression, undefined);
  const withExpression = await loadApp(appFolder("{ defaultMode: 'AWS_LAMBDA', lambda: { handler: 'functions/authorizer.ts', resultTtlSeconds: 60, identityValidationExpression: 'tok-\\\\d+' } }", AUTHORIZER));
  assert.equal(withExpression.auth.lambda?.resultTtlSeconds, 60);
  assert.equal(withExpression.auth.lambda?.identityValidationExpression, 'tok-\\d+');
});

test('AWS_LAMBDA as a mode without lambda settings is an error', async () => {
  const message = await configError(appFolder("{ defaultMode: 'API_KEY', additionalModes: ['AWS_LAMBDA'] }"));
  assert.match(message, /switchboard\.config\.ts:\d+ api\.auth\.lambda expects \{ handler: 'functions\/<name>\.ts' \} \(AWS_LAMBDA is an auth mode\), got nothing/);
});

test('a missing authorizer file and an expression that does not compile are errors naming the path', async () => {
  const message = await configError(appFolder("{ defaultMode: 'AWS_LAMBDA', lambda: { handler: 'functions/nope.ts', identityValidationExpression: '(unclosed' } }"));
  assert.match(message, /api\.auth\.lambda\.handler expects an existing function file .*, got "functions\/nope\.ts"/);
  assert.match(message, /api\.auth\.lambda\.identityValidationExpression expects a regular expression \(.*\), got "\(unclosed"/);
});

test('resultTtlSeconds is 0..3600, as AppSync', async () => {
  const message = await configError(appFolder("{ defaultMode: 'AWS_LAMBDA', lambda: { handler: 'functions/authorizer.ts', resultTtlSeconds: 3601 } }", AUTHORIZER));
  assert.match(message, /api\.auth\.lambda\.resultTtlSeconds expects/);
});
