/**
 * Tests an event against one rule's pattern with the bus's own matcher (`AWSEvents.TestEventPattern`):
 * paste an event (the full envelope: id, source, detail-type, account, region, time...) and see
 * whether the rule would match it.
 */
import { useState } from 'react';
import { events } from './api.ts';
import { ErrorNote } from './ErrorNote.tsx';
import type { Rule } from './types.ts';

/** An envelope that fits the pattern's `source` and `detail-type` when they name plain values. */
export function sampleEvent(rule: Rule, region: string): string {
  let pattern: Record<string, unknown> = {};
  try {
    pattern = JSON.parse(rule.EventPattern ?? '{}') as Record<string, unknown>;
  } catch {
    // An unparseable pattern gets the plain sample; the test says what is wrong with it.
  }
  const first = (key: string, fallback: string): string => {
    const values = pattern[key];
    return Array.isArray(values) && typeof values[0] === 'string' ? values[0] : fallback;
  };
  const event = {
    version: '0',
    id: crypto.randomUUID?.() ?? '00000000-0000-4000-8000-000000000000',
    'detail-type': first('detail-type', 'example'),
    source: first('source', 'example.source'),
    account: '000000000000',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [],
    detail: {},
  };
  return JSON.stringify(event, null, 2);
}

export function PatternTester(props: { readonly rule: Rule; readonly region: string }) {
  const [text, setText] = useState(() => sampleEvent(props.rule, props.region));
  const [result, setResult] = useState<boolean | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const pattern = props.rule.EventPattern;

  const test = async () => {
    setResult(undefined);
    setError(undefined);
    try {
      const r = await events<{ Result: boolean }>('TestEventPattern', { EventPattern: pattern, Event: text });
      setResult(r.Result);
    } catch (e) {
      setError(e);
    }
  };

  if (pattern === undefined) return <p className="muted">A schedule rule has no event pattern to test.</p>;
  return (
    <div className="pattern-tester">
      <h4>Test an event against {props.rule.Name}</h4>
      <textarea aria-label="Event JSON" value={text} onChange={(e) => setText(e.target.value)} rows={12} spellCheck={false} />
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => void test()}>
          Run test
        </button>
        {result !== undefined && (
          <span className={`verdict ${result ? 'match' : 'no-match'}`} data-verdict={result ? 'match' : 'no-match'}>
            {result ? 'match' : 'no match'}
          </span>
        )}
      </div>
      <ErrorNote error={error} />
    </div>
  );
}
