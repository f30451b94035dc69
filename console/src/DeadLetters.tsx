/**
 * Targets and their dead letters, per bus: every target of every rule with how many deliveries it
 * gave up on, and each letter (the error, the attempts, the event). Redrive turns letters back into
 * pending deliveries with a fresh retry budget (`SwitchboardEvents.RedriveDeadLetters`); delete
 * drops them for good.
 */
import { Fragment, useState } from 'react';
import { switchboardEvents } from './api.ts';
import { listBuses, listDeadLetters, listRulesWithTargets } from './bus-data.ts';
import { BusPicker } from './BusPicker.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { fromEpochSeconds } from './format.ts';
import { JsonBlock } from './JsonBlock.tsx';
import { Link } from './Link.tsx';
import { navigate, pathOf, useRoute } from './router.ts';
import type { DeadLetter } from './types.ts';
import { usePolling } from './usePolling.ts';

interface TargetGroup {
  readonly key: string;
  readonly rule: string;
  readonly targetId: string;
  readonly arn: string;
  readonly letters: DeadLetter[];
}

const ruleNameOf = (ruleArn: string | undefined): string => (ruleArn ?? '').replace(/^.*:rule\//, '').split('/').pop() ?? '';

async function loadGroups(bus: string): Promise<TargetGroup[]> {
  const [rules, letters] = await Promise.all([listRulesWithTargets(bus), listDeadLetters(bus)]);
  const groups = new Map<string, TargetGroup>();
  for (const { rule, targets } of rules) {
    for (const t of targets) groups.set(`${rule.Name}\n${t.Id}`, { key: `${rule.Name}\n${t.Id}`, rule: rule.Name, targetId: t.Id, arn: t.Arn, letters: [] });
  }
  for (const l of letters) {
    const rule = ruleNameOf(l.Attributes['RULE_ARN']);
    const targetId = l.Attributes['TARGET_ID'] ?? '';
    const key = `${rule}\n${targetId}`;
    let group = groups.get(key);
    if (group === undefined) {
      // The rule or target was removed since: its letters still show, under their own heading.
      group = { key, rule, targetId, arn: l.Attributes['TARGET_ARN'] ?? '', letters: [] };
      groups.set(key, group);
    }
    group.letters.push(l);
  }
  return [...groups.values()].sort((a, b) => b.letters.length - a.letters.length || a.key.localeCompare(b.key));
}

export function DeadLetters() {
  const route = useRoute();
  const bus = route.query.get('bus') ?? 'default';
  const buses = usePolling(listBuses, undefined, []);
  const groups = usePolling(() => loadGroups(bus), 3000, [bus]);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [open, setOpen] = useState<number | undefined>(undefined);

  const act = async (what: () => Promise<string>) => {
    setError(undefined);
    setNotice(undefined);
    try {
      setNotice(await what());
    } catch (e) {
      setError(e);
    }
    groups.reload();
  };
  const redrive = (ids: readonly number[]) =>
    act(async () => {
      const r = await switchboardEvents<{ Redriven: number; Unknown: number[] }>('RedriveDeadLetters', { Ids: ids });
      return `Redriven ${r.Redriven}${r.Unknown.length > 0 ? ` (unknown: ${r.Unknown.join(', ')})` : ''}.`;
    });
  const redriveAll = () =>
    act(async () => {
      const r = await switchboardEvents<{ Redriven: number }>('RedriveDeadLetters', { EventBusName: bus, All: true });
      return `Redriven ${r.Redriven}.`;
    });
  const remove = (ids: readonly number[]) =>
    act(async () => {
      if (!confirm(`Delete ${ids.length} dead letter(s) for good?`)) return 'Nothing deleted.';
      const r = await switchboardEvents<{ Deleted: number }>('DeleteDeadLetters', { Ids: ids });
      return `Deleted ${r.Deleted}.`;
    });

  const total = groups.value?.reduce((n, g) => n + g.letters.length, 0) ?? 0;
  return (
    <section>
      <header className="view-header">
        <h2>Targets and dead letters</h2>
        <div className="toolbar">
          <BusPicker buses={buses.value ?? []} value={bus} onChange={(b) => navigate(`/dead-letters?bus=${encodeURIComponent(b)}`)} />
          <button type="button" className="primary" disabled={total === 0} onClick={() => void redriveAll()}>
            Redrive all ({total})
          </button>
        </div>
      </header>
      {notice !== undefined && (
        <div className="notice" role="status">
          {notice}
        </div>
      )}
      <ErrorNote error={error ?? groups.error ?? buses.error} />
      {groups.value?.length === 0 && <p className="empty">Bus {bus} has no targets and no dead letters.</p>}
      {groups.value?.map((g) => (
        <article key={g.key} className={`card target-group ${g.letters.length > 0 ? 'has-letters' : ''}`} data-target={g.targetId} data-rule={g.rule}>
          <div className="card-head">
            <h3>
              {g.rule} → {g.targetId}
            </h3>
            <span className="mono muted">{g.arn}</span>
            <span className={`count ${g.letters.length > 0 ? 'bad' : 'good'}`}>{g.letters.length} dead letter{g.letters.length === 1 ? '' : 's'}</span>
          </div>
          {g.letters.length > 0 && (
            <table className="letters">
              <thead>
                <tr>
                  <th>Id</th>
                  <th>At</th>
                  <th>Event</th>
                  <th>Error</th>
                  <th>Retries</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {g.letters.map((l) => (
                  <Fragment key={l.Id}>
                    <tr data-letter-id={l.Id} data-event-id={l.EventId}>
                      <td>{l.Id}</td>
                      <td className="nowrap">{fromEpochSeconds(l.Time)}</td>
                      <td className="mono">
                        <Link to={pathOf('events', l.EventBusName, l.EventId)}>{l.EventId}</Link>
                      </td>
                      <td>
                        <strong>{l.Attributes['ERROR_CODE']}</strong> {l.Attributes['ERROR_MESSAGE']}
                        {l.Attributes['EXHAUSTED_RETRY_CONDITION'] !== undefined && <span className="muted"> ({l.Attributes['EXHAUSTED_RETRY_CONDITION']})</span>}
                      </td>
                      <td>{l.Attributes['RETRY_ATTEMPTS']}</td>
                      <td className="actions">
                        <button type="button" className="primary" onClick={() => void redrive([l.Id])}>
                          Redrive
                        </button>
                        <button type="button" onClick={() => void remove([l.Id])}>
                          Delete
                        </button>
                        <button type="button" onClick={() => setOpen(open === l.Id ? undefined : l.Id)}>
                          {open === l.Id ? 'Hide' : 'Event'}
                        </button>
                      </td>
                    </tr>
                    {open === l.Id && (
                      <tr>
                        <td colSpan={6}>
                          <JsonBlock value={l.Event} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          )}
        </article>
      ))}
    </section>
  );
}
