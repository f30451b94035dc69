/**
 * Input-transformer conformance: 27 behaviours recorded on live AWS (LocalStack's AWS-validated
 * snapshots), read in place from shared/conformance/eventbridge/ and never copied here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { EventEnvelope } from '../../../src/bus/envelope/index.ts';
import { compileTargetInput, TargetInputError, type TransformContext } from '../../../src/bus/transform/index.ts';

const DATA = new URL('../../../../shared/conformance/eventbridge/input-transformer-cases.json', import.meta.url);

interface Case {
  readonly name: string;
  readonly event?: EventEnvelope;
  readonly InputPath?: string;
  readonly InputPathsMap?: Record<string, string>;
  readonly InputTemplate?: string;
  readonly delivered?: boolean;
  readonly expectedBody?: unknown;
  readonly bodyIsJson?: boolean;
  readonly putTargetsError?: { readonly Code: string; readonly Message: string };
}

/**
 * Cases we do not pass, each with the reason; the suite asserts they still fail so a fix is
 * noticed. Keyed by `label(c)`.
 */
const KNOWN_FAILURES: ReadonlyMap<string, string> = new Map<string, string>([]);

// LocalStack's snapshot normalisation tokens. The rule ARN/name are passed as the tokens the
// recording shows; `<uuid:2>` is LocalStack's second-uuid numbering of the one event id.
const TARGET_ID = '<target-id>';
const RULE_NAME = '<rule-name>';
const RULE_ARN = 'arn:<partition>:events:<region>:111111111111:rule/<bus-name>/<rule-name>';

function label(c: Case): string {
  return `${c.name} :: ${c.InputTemplate ?? c.InputPath ?? c.putTargetsError?.Message ?? ''}`;
}

/** One check per case: undefined when we agree with AWS, otherwise what differed. */
function check(c: Case): string | undefined {
  if (c.putTargetsError !== undefined) return checkPutTargetsError(c.putTargetsError);
  if (c.event === undefined) return 'case has neither an event nor a PutTargets error';
  const expectedText = JSON.stringify(c.expectedBody ?? null).replaceAll(/<uuid:\d+>/g, '<uuid>');
  const expected: unknown = JSON.parse(expectedText);
  // The recording normalised the ingestion time to "<ingestion-time>" in one case and to "date"
  // (its token for any timestamp) in the other; supply whichever token that recording uses.
  const ctx: TransformContext = {
    ruleArn: RULE_ARN,
    ruleName: RULE_NAME,
    ingestionTime: expectedText.includes('<ingestion-time>') ? '<ingestion-time>' : 'date',
  };
  const body = compileTargetInput({
    id: TARGET_ID,
    ...(c.InputPath === undefined ? {} : { inputPath: c.InputPath }),
    ...(c.InputTemplate === undefined
      ? {}
      : { inputTransformer: { inputTemplate: c.InputTemplate, inputPathsMap: c.InputPathsMap ?? {} } }),
  })(c.event, ctx);

  if (c.delivered === false) return body === undefined ? undefined : `expected no delivery, got ${body}`;
  if (body === undefined) return 'expected a delivery, got none';
  if (c.bodyIsJson !== true) return body === expected ? undefined : `expected ${String(expected)}, got ${body}`;
  try {
    assert.deepStrictEqual(JSON.parse(body), expected);
    return undefined;
  } catch (error) {
    return `body ${body} differs: ${(error as Error).message}`;
  }
}

/**
 * The two PutTargets recordings keep only the error, not the request. They are rebuilt from
 * what the LocalStack tests send: an undefined placeholder (its name is in the message), and a
 * target with both InputPath and InputTransformer.
 */
function checkPutTargetsError(error: { readonly Code: string; readonly Message: string }): string | undefined {
  const placeholder = /contains invalid placeholder (\S+)\.$/.exec(error.Message)?.[1];
  const attempt = (): unknown =>
    placeholder !== undefined
      ? compileTargetInput({
          id: TARGET_ID,
          inputTransformer: { inputPathsMap: { detail: '$.detail' }, inputTemplate: `{"a": <detail>, "b": <${placeholder}>}` },
        })
      : compileTargetInput({
          id: TARGET_ID,
          inputPath: '$.detail',
          inputTransformer: { inputPathsMap: {}, inputTemplate: '"x"' },
        });
  try {
    attempt();
    return `expected ${error.Code}: ${error.Message}, got no error`;
  } catch (thrown) {
    if (!(thrown instanceof TargetInputError)) return `unexpected ${String(thrown)}`;
    if (thrown.awsType !== error.Code || thrown.message !== error.Message) {
      return `expected ${error.Code}: ${error.Message}, got ${thrown.awsType}: ${thrown.message}`;
    }
    return undefined;
  }
}

function loadCases(): readonly Case[] | string {
  if (!existsSync(DATA)) return `conformance data not found at ${DATA.pathname}`;
  return (JSON.parse(readFileSync(DATA, 'utf8')) as { cases: Case[] }).cases;
}

const loaded = loadCases();
if (typeof loaded === 'string') {
  if (process.env['CI'] === 'true') {
    test('input-transformer conformance data is present', () => assert.fail(loaded));
  } else {
    test('input-transformer conformance', { skip: `${loaded} (shared/ is not checked out next to the repo)` }, () => {});
  }
} else {
  test('the recording has the 27 cases this suite was written against', () => {
    assert.equal(loaded.length, 27);
  });
  for (const c of loaded) {
    const reason = KNOWN_FAILURES.get(label(c));
    if (reason === undefined) {
      test(`matches AWS: ${label(c)}`, () => assert.equal(check(c), undefined));
    } else {
      test(`still differs from AWS (${reason}): ${label(c)}`, () => assert.notEqual(check(c), undefined));
    }
  }
  test('every known failure names a case that exists', () => {
    const labels = new Set(loaded.map(label));
    assert.deepEqual([...KNOWN_FAILURES.keys()].filter((k) => !labels.has(k)), []);
  });
}
