/**
 * Every figure beside the raw engine's figure from the same run, their ratio and issue 10's target:
 * one line as soon as it is measured, a table at the end, and the same as JSON for whoever keeps
 * the history of runs.
 */

/** A target on the ratio to the raw engine's figure, or on the figure itself. */
export interface Target {
  on: 'ratio' | 'figure';
  op: '≥' | '≤' | '<';
  limit: number;
}

export interface Figure {
  /** P1, P2, …: the benchmark of issue 10 this figure belongs to. */
  benchmark: string;
  name: string;
  /** Empty for a plain count. */
  unit: string;
  value: number;
  /** The raw engine's figure, measured in the same run on the same server. */
  raw?: number;
  target?: Target;
  /** The sizes and circumstances the figure depends on. */
  note?: string;
}

export interface Judged extends Figure {
  ratio?: number;
  result?: 'PASS' | 'MISS';
}

const met = (x: number, { op, limit }: Target) => (op === '≥' ? x >= limit : op === '≤' ? x <= limit : x < limit);

function judge(figure: Figure): Judged {
  const ratio = figure.raw ? figure.value / figure.raw : undefined;
  const judged = figure.target?.on === 'ratio' ? ratio : figure.value;
  return { ...figure, ratio, result: figure.target && judged !== undefined ? (met(judged, figure.target) ? 'PASS' : 'MISS') : undefined };
}

export function formatNumber(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1000 || Number.isInteger(v)) return Math.round(v).toLocaleString('en-US');
  return v.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
}

const amount = (v: number | undefined, unit: string) => (v === undefined ? '—' : `${formatNumber(v)}${unit ? ` ${unit}` : ''}`);
const ratioText = (f: Judged) => (f.ratio === undefined ? '—' : `${f.ratio.toFixed(2)}×`);
const targetText = (f: Judged) => (f.target ? (f.target.on === 'ratio' ? `${f.target.op} ${f.target.limit}× raw` : `${f.target.op} ${amount(f.target.limit, f.unit)}`) : '—');

export class Report {
  readonly figures: Judged[] = [];
  /** Whatever else a benchmark measured, for the JSON (e.g. the fan-out scenario's timings). */
  readonly details: Record<string, unknown> = {};

  add(figure: Figure): void {
    const f = judge(figure);
    this.figures.push(f);
    const target = f.target ? ` | target ${targetText(f)}: ${f.result ?? 'no raw figure'}` : '';
    console.log(`${f.benchmark} ${f.name}: ${amount(f.value, f.unit)} | raw ${amount(f.raw, f.unit)} | ${ratioText(f)}${target}${f.note ? `  (${f.note})` : ''}`);
  }

  table(): string {
    const rows = [
      ['figure', 'SafeRoutes', 'raw', 'ratio', 'target', 'result'],
      ...this.figures.map((f) => [`${f.benchmark} ${f.name}`, amount(f.value, f.unit), amount(f.raw, f.unit), ratioText(f), targetText(f), f.result ?? '']),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
  }
}
