/** Reporting for benchmarks: medians over rounds, and our figure beside the peer's with the ratio. */
export function median(values: readonly number[]): number {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export interface Row {
  readonly metric: string;
  readonly ours: number;
  readonly peer: number;
  readonly peerName: string;
  /** 'higher' when a bigger number is better (throughput), 'lower' for latency and cost. */
  readonly better: 'higher' | 'lower';
  readonly goal?: string;
  /**
   * The ratio to print where it is not ours / peer of the two figures: the median of ratios of
   * measurements paired in time (bench/fanout measures the servers in alternation).
   */
  readonly ratio?: number;
}

export function printTable(title: string, rows: readonly Row[]): void {
  console.log(`\n## ${title}`);
  console.log(['metric', 'switchboard', 'peer', 'peer value', 'ratio (ours/peer)', 'goal'].join(' | '));
  for (const r of rows) {
    const ratio = r.ratio ?? r.ours / r.peer;
    console.log([r.metric, fmt(r.ours), r.peerName, fmt(r.peer), `${ratio.toFixed(2)}x${r.better === 'lower' ? ' (lower is better)' : ''}`, r.goal ?? ''].join(' | '));
  }
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}
