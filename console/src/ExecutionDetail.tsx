/**
 * One execution: its status, the state graph lit up by what it did, its input and output, and
 * its history. Refreshes every second or two while it runs.
 */
import { useMemo } from 'react';
import { states } from './api.ts';
import type { AslMachine } from './asl-graph.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { executionProgress } from './execution-status.ts';
import { fromEpochSeconds } from './format.ts';
import { HistoryTable } from './HistoryTable.tsx';
import { JsonBlock } from './JsonBlock.tsx';
import { Link } from './Link.tsx';
import { StateGraph } from './StateGraph.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import type { ExecutionDescription, HistoryEvent } from './types.ts';
import { usePolling } from './usePolling.ts';

async function fullHistory(executionArn: string): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  for (let token: string | undefined, pages = 0; pages < 25; pages++) {
    const r = await states<{ events: HistoryEvent[]; nextToken?: string }>('GetExecutionHistory', { executionArn, maxResults: 1000, includeExecutionData: true, ...(token !== undefined ? { nextToken: token } : {}) });
    out.push(...r.events);
    if (r.nextToken === undefined) break;
    token = r.nextToken;
  }
  return out;
}

export function ExecutionDetail(props: { readonly executionArn: string }) {
  const execution = usePolling(() => states<ExecutionDescription>('DescribeExecution', { executionArn: props.executionArn }), 1500, [props.executionArn]);
  const running = execution.value === undefined || execution.value.status === 'RUNNING';
  const machineArn = execution.value?.stateMachineArn;
  const machine = usePolling(
    () => (machineArn === undefined ? Promise.resolve(undefined) : states<{ definition: string; name: string }>('DescribeStateMachine', { stateMachineArn: machineArn })),
    undefined,
    [machineArn],
  );
  const history = usePolling(() => fullHistory(props.executionArn), running ? 1500 : undefined, [props.executionArn, running]);
  const definition = useMemo(() => {
    try {
      return machine.value === undefined ? undefined : (JSON.parse(machine.value.definition) as AslMachine);
    } catch {
      return undefined;
    }
  }, [machine.value]);
  const progress = useMemo(() => executionProgress(history.value ?? [], execution.value?.status ?? 'RUNNING'), [history.value, execution.value?.status]);
  const e = execution.value;

  return (
    <section className="execution">
      <header className="view-header">
        <h2>
          Execution <span className="mono">{e?.name ?? ''}</span> {e !== undefined && <StatusBadge status={e.status} />}
        </h2>
        <div className="toolbar">{machineArn !== undefined && <Link to={`/executions?machine=${encodeURIComponent(machineArn)}`}>← {machine.value?.name ?? 'executions'}</Link>}</div>
      </header>
      <ErrorNote error={execution.error ?? machine.error ?? history.error} />
      {e !== undefined && (
        <p>
          Started {fromEpochSeconds(e.startDate)}
          {e.stopDate !== undefined && <>, stopped {fromEpochSeconds(e.stopDate)}</>}
          {e.error !== undefined && (
            <span className="bad">
              {' '}
              · {e.error}
              {e.cause !== undefined ? `: ${e.cause}` : ''}
            </span>
          )}
        </p>
      )}
      {definition !== undefined && <StateGraph definition={definition} progress={progress} />}
      <div className="io">
        {e?.input !== undefined && <JsonBlock label="input" value={e.input} />}
        {e?.output !== undefined && <JsonBlock label="output" value={e.output} />}
      </div>
      <h3>History</h3>
      {history.value !== undefined && <HistoryTable events={history.value} />}
    </section>
  );
}
