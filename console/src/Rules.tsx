/**
 * The rules of a bus with their pattern (or schedule), state and targets (input, transformer,
 * retry policy); selecting one opens the pattern tester for it.
 */
import { useState } from 'react';
import { listBuses, listRulesWithTargets } from './bus-data.ts';
import { BusPicker } from './BusPicker.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { JsonBlock } from './JsonBlock.tsx';
import { PatternTester } from './PatternTester.tsx';
import { navigate, useRoute } from './router.ts';
import { StatusBadge } from './StatusBadge.tsx';
import type { Target } from './types.ts';
import { usePolling } from './usePolling.ts';

function targetInput(t: Target): string {
  if (t.InputTransformer !== undefined) return `transformer: ${JSON.stringify(t.InputTransformer.InputPathsMap ?? {})} → ${t.InputTransformer.InputTemplate}`;
  if (t.InputPath !== undefined) return `input path ${t.InputPath}`;
  if (t.Input !== undefined) return `constant ${t.Input}`;
  return 'the whole event';
}

function retryText(t: Target): string {
  const r = t.RetryPolicy;
  if (r === undefined) return 'default (185 attempts, 24 h)';
  return [r.MaximumRetryAttempts !== undefined ? `${r.MaximumRetryAttempts} retries` : '', r.MaximumEventAgeInSeconds !== undefined ? `max age ${r.MaximumEventAgeInSeconds} s` : ''].filter((s) => s !== '').join(', ');
}

export function Rules(props: { readonly region: string }) {
  const route = useRoute();
  const buses = usePolling(listBuses, undefined, []);
  const bus = route.query.get('bus') ?? 'default';
  const rules = usePolling(() => listRulesWithTargets(bus), 5000, [bus]);
  const [selected, setSelected] = useState<string | undefined>(undefined);

  return (
    <section>
      <header className="view-header">
        <h2>Rules</h2>
        <div className="toolbar">
          <BusPicker buses={buses.value ?? []} value={bus} onChange={(b) => navigate(`/rules?bus=${encodeURIComponent(b)}`)} />
        </div>
      </header>
      <ErrorNote error={buses.error ?? rules.error} />
      {rules.value?.length === 0 && <p className="empty">Bus {bus} has no rules.</p>}
      <div className="rules">
        {rules.value?.map(({ rule, targets }) => (
          <article key={rule.Name} className={`card rule ${selected === rule.Name ? 'selected' : ''}`} data-rule={rule.Name}>
            <div className="card-head">
              <h3>{rule.Name}</h3>
              <StatusBadge status={rule.State} />
              <button type="button" onClick={() => setSelected(selected === rule.Name ? undefined : rule.Name)}>
                {selected === rule.Name ? 'Close tester' : 'Test pattern'}
              </button>
            </div>
            {rule.Description !== undefined && <p className="muted">{rule.Description}</p>}
            {rule.EventPattern !== undefined && <JsonBlock label="pattern" value={rule.EventPattern} />}
            {rule.ScheduleExpression !== undefined && (
              <p>
                Schedule <code>{rule.ScheduleExpression}</code>
              </p>
            )}
            <table>
              <thead>
                <tr>
                  <th>Target</th>
                  <th>ARN</th>
                  <th>Input</th>
                  <th>Retry</th>
                </tr>
              </thead>
              <tbody>
                {targets.map((t) => (
                  <tr key={t.Id}>
                    <td className="strong">{t.Id}</td>
                    <td className="mono">{t.Arn}</td>
                    <td className="mono small">{targetInput(t)}</td>
                    <td className="small">{retryText(t)}</td>
                  </tr>
                ))}
                {targets.length === 0 && (
                  <tr>
                    <td colSpan={4} className="muted">
                      no targets
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
            {selected === rule.Name && <PatternTester rule={rule} region={props.region} />}
          </article>
        ))}
      </div>
    </section>
  );
}
