/**
 * The state graph of an execution as inline SVG: the definition laid out by `asl-graph.ts`, each
 * state coloured by what the execution did with it (`execution-status.ts`).
 */
import { useMemo } from 'react';
import { HEADER, layoutMachine, type AslMachine, type LaidGraph, type LaidNode } from './asl-graph.ts';
import { transitionKey, type ExecutionProgress } from './execution-status.ts';

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function StateBox(props: { readonly node: LaidNode; readonly progress: ExecutionProgress }) {
  const { node } = props;
  const status = props.progress.statuses.get(node.name);
  const composite = node.inner.length > 0;
  return (
    <g className={`state state-${status ?? 'idle'} ${composite ? 'composite' : ''} ${node.terminal ? 'terminal' : ''}`} data-state={node.name} data-status={status ?? 'idle'} transform={`translate(${node.x} ${node.y})`}>
      <title>{`${node.name} (${node.type})${status !== undefined ? `: ${status}` : ''}`}</title>
      <rect width={node.width} height={node.height} rx={composite ? 10 : 8} />
      {composite ? (
        <>
          <text x={12} y={19} className="state-name">
            {clip(node.name, 30)}
          </text>
          <text x={node.width - 12} y={19} className="state-type" textAnchor="end">
            {node.type}
          </text>
          {node.inner.map((inner, i) => (
            <g key={i} transform={`translate(${inner.dx} ${inner.dy})`}>
              <rect className="branch" width={inner.graph.width} height={inner.graph.height} rx={6} y={-4} />
              <GraphBody graph={inner.graph} progress={props.progress} />
            </g>
          ))}
          <line x1={0} x2={node.width} y1={HEADER - 4} y2={HEADER - 4} className="divider" />
        </>
      ) : (
        <>
          <text x={node.width / 2} y={19} className="state-name" textAnchor="middle">
            {clip(node.name, 26)}
          </text>
          <text x={node.width / 2} y={34} className="state-type" textAnchor="middle">
            {node.type}
          </text>
        </>
      )}
    </g>
  );
}

function GraphBody(props: { readonly graph: LaidGraph; readonly progress: ExecutionProgress }) {
  const { graph } = props;
  return (
    <g>
      {graph.start !== undefined && (
        <g className="start">
          <circle cx={graph.start.x} cy={graph.start.y} r={7} />
          <path d={graph.start.path} markerEnd="url(#arrow)" />
        </g>
      )}
      {graph.edges.map((e, i) => {
        const taken = props.progress.transitions.has(transitionKey(e.from, e.to));
        return (
          <g key={i} className={`edge edge-${e.kind} ${taken ? 'taken' : ''}`} data-edge={`${e.from} → ${e.to}`}>
            <path d={e.path} markerEnd={taken ? 'url(#arrow-taken)' : 'url(#arrow)'} />
          </g>
        );
      })}
      {graph.nodes.map((n) => (
        <StateBox key={n.name} node={n} progress={props.progress} />
      ))}
      {/* Labels last, so no box hides them. */}
      {graph.edges.map((e, i) =>
        e.label === undefined ? null : (
          <text key={i} x={e.labelX} y={e.labelY} textAnchor="middle" className="edge-label">
            {e.label}
          </text>
        ),
      )}
    </g>
  );
}

export function StateGraph(props: { readonly definition: AslMachine; readonly progress: ExecutionProgress }) {
  const graph = useMemo(() => layoutMachine(props.definition), [props.definition]);
  return (
    <div className="graph">
      <svg width={graph.width} height={graph.height} viewBox={`0 0 ${graph.width} ${graph.height}`} role="img" aria-label="State graph">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX={9} refY={5} markerWidth={7} markerHeight={7} orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrowhead" />
          </marker>
          <marker id="arrow-taken" viewBox="0 0 10 10" refX={9} refY={5} markerWidth={7} markerHeight={7} orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrowhead taken" />
          </marker>
        </defs>
        <GraphBody graph={graph} progress={props.progress} />
      </svg>
      <div className="legend">
        <span className="key key-succeeded">succeeded</span>
        <span className="key key-running">running</span>
        <span className="key key-recovered">failed, then retried or caught</span>
        <span className="key key-failed">failed</span>
        <span className="key key-idle">not visited</span>
      </div>
    </div>
  );
}
