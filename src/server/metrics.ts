/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
 * exposition format (version 0.0.4). Hand-written because the hot paths only need an increment
 * on a pre-resolved series, and a client library would bring more than we use.
 */
export type Labels = Readonly<Record<string, string>>;

interface Series {
  readonly labels: string;
}

interface CounterSeries extends Series {
  value: number;
}

interface HistogramSeries extends Series {
  readonly counts: number[];
  sum: number;
  count: number;
}

type Metric =
  | { readonly kind: 'counter' | 'gauge'; readonly name: string; readonly help: string; readonly series: Map<string, CounterSeries>; readonly collect?: () => number }
  | { readonly kind: 'histogram'; readonly name: string; readonly help: string; readonly buckets: readonly number[]; readonly series: Map<string, HistogramSeries> };

export interface Counter {
  inc(labels?: Labels, by?: number): void;
}

export interface Gauge {
  set(value: number, labels?: Labels): void;
  inc(labels?: Labels, by?: number): void;
  dec(labels?: Labels, by?: number): void;
  /** The series of `labels`, resolved once: for call sites that move it per connection. */
  series(labels: Labels): { inc(by?: number): void; dec(by?: number): void };
}

export interface Histogram {
  observe(value: number, labels?: Labels): void;
}

/** Default latency buckets in seconds, from 0.5 ms to 10 s. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export class MetricsRegistry {
  readonly #metrics = new Map<string, Metric>();

  counter(name: string, help: string): Counter {
    const series = this.#register({ kind: 'counter', name, help, series: new Map() }).series as Map<string, CounterSeries>;
    return {
      inc: (labels, by = 1) => void (seriesOf(series, labels).value += by),
    };
  }

  gauge(name: string, help: string, collect?: () => number): Gauge {
    const metric = collect === undefined ? { kind: 'gauge' as const, name, help, series: new Map<string, CounterSeries>() } : { kind: 'gauge' as const, name, help, series: new Map<string, CounterSeries>(), collect };
    const series = this.#register(metric).series as Map<string, CounterSeries>;
    return {
      set: (value, labels) => void (seriesOf(series, labels).value = value),
      inc: (labels, by = 1) => void (seriesOf(series, labels).value += by),
      dec: (labels, by = 1) => void (seriesOf(series, labels).value -= by),
      series: (labels) => {
        const s = seriesOf(series, labels);
        return { inc: (by = 1) => void (s.value += by), dec: (by = 1) => void (s.value -= by) };
      },
    };
  }

  histogram(name: string, help: string, buckets: readonly number[] = LATENCY_BUCKETS): Histogram {
    const metric = this.#register({ kind: 'histogram', name, help, buckets, series: new Map() });
    if (metric.kind !== 'histogram') throw new Error(`metric ${name} is not a histogram`);
    return {
      observe: (value, labels) => {
        const key = renderLabels(labels);
        let s = metric.series.get(key);
        if (s === undefined) {
          s = { labels: key, counts: new Array<number>(metric.buckets.length).fill(0), sum: 0, count: 0 };
          metric.series.set(key, s);
        }
        for (let i = 0; i < metric.buckets.length; i++) if (value <= (metric.buckets[i] ?? Infinity)) s.counts[i] = (s.counts[i] ?? 0) + 1;
        s.sum += value;
        s.count += 1;
      },
    };
  }

  render(): string {
    const out: string[] = [];
    for (const m of this.#metrics.values()) {
      out.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.kind}`);
      if (m.kind === 'histogram') {
        for (const s of m.series.values()) {
          m.buckets.forEach((b, i) => out.push(`${m.name}_bucket${withLabel(s.labels, 'le', String(b))} ${s.counts[i] ?? 0}`));
          out.push(`${m.name}_bucket${withLabel(s.labels, 'le', '+Inf')} ${s.count}`);
          out.push(`${m.name}_sum${s.labels} ${s.sum}`, `${m.name}_count${s.labels} ${s.count}`);
        }
      } else if (m.collect !== undefined) {
        out.push(`${m.name} ${m.collect()}`);
      } else {
        if (m.series.size === 0) out.push(`${m.name} 0`);
        for (const s of m.series.values()) out.push(`${m.name}${s.labels} ${s.value}`);
      }
    }
    return out.join('\n') + '\n';
  }

  #register(metric: Metric): Metric {
    const existing = this.#metrics.get(metric.name);
    if (existing !== undefined) return existing;
    this.#metrics.set(metric.name, metric);
    return metric;
  }
}

function seriesOf(map: Map<string, CounterSeries>, labels: Labels | undefined): CounterSeries {
  const key = renderLabels(labels);
  let s = map.get(key);
  if (s === undefined) {
    s = { labels: key, value: 0 };
    map.set(key, s);
  }
  return s;
}

// Call sites pass label objects of a fixed shape, so the values alone identify a series; the
// rendered (sorted, escaped) text is computed once per distinct value list, not per increment.
const renderedCache = new Map<string, string>();

function renderLabels(labels: Labels | undefined): string {
  if (labels === undefined) return '';
  let cacheKey = '';
  for (const k in labels) cacheKey += `${k}\u0001${labels[k] ?? ''}\u0002`;
  let rendered = renderedCache.get(cacheKey);
  if (rendered === undefined) {
    rendered = renderLabelsSlow(labels);
    if (renderedCache.size < 10_000) renderedCache.set(cacheKey, rendered);
  }
  return rendered;
}

function renderLabelsSlow(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return '{' + keys.map((k) => `${k}="${escapeLabel(labels[k] ?? '')}"`).join(',') + '}';
}

function withLabel(rendered: string, key: string, value: string): string {
  const extra = `${key}="${value}"`;
  return rendered === '' ? `{${extra}}` : `${rendered.slice(0, -1)},${extra}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
