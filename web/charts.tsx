/**
 * Small charts drawn on the server as SVG — no script, nothing fetched — each beside a table of
 * the same numbers. The SVG is one image to assistive technology (`role="img"`, named by its
 * `<title>` and `<desc>`); the table is what a screen reader, a phone or a copy-paste reads. The
 * drawing scales with its `viewBox`, so it fits a phone; its marks have at least 3:1 contrast.
 */
import type { Child } from 'hono/jsx';
import { Table } from './layout.js';

const W = 400;
const INK = '#1a1a1a';
const MAIN = '#12355b';
const SECOND = '#5b7fa8';
const ALERT = '#b3261e';
const GRID = '#767676';

/** The numbers a chart shows, as the table beside it shows them. */
export interface ChartTable { headers: string[]; rows: string[][] }

interface ChartFrame { id: string; title: string; description: string; table: ChartTable }

function Figure(props: ChartFrame & { height: number; children?: Child }) {
  return (
    <figure class="chart">
      <svg role="img" aria-labelledby={`${props.id}-title ${props.id}-desc`} viewBox={`0 0 ${W} ${props.height}`} xmlns="http://www.w3.org/2000/svg">
        <title id={`${props.id}-title`}>{props.title}</title>
        <desc id={`${props.id}-desc`}>{props.description}</desc>
        {props.children}
      </svg>
      <Table headers={props.table.headers} label={props.title}>
        {props.table.rows.map((row) => (
          <tr>
            {row.map((cell, i) => (
              <td data-label={props.table.headers[i]}>{cell}</td>
            ))}
          </tr>
        ))}
      </Table>
    </figure>
  );
}

const ROW = 38;
const scale = (max: number) => (value: number) => (max > 0 ? (value / max) * (W - 60) : 0);

/** One bar per item, its label above it and its value at its end; `alert` bars in red. */
export function BarChart(props: ChartFrame & { items: { label: string; value: number; text: string; alert?: boolean }[] }) {
  const x = scale(Math.max(...props.items.map((i) => i.value), 0));
  return (
    <Figure {...props} height={props.items.length * ROW + 4}>
      {props.items.map((item, n) => (
        <g transform={`translate(0 ${n * ROW})`}>
          <text x="0" y="13" font-size="13" fill={INK}>{item.label}</text>
          <rect x="0" y="18" width={Math.max(x(item.value), 1)} height="14" fill={item.alert ? ALERT : MAIN} />
          <text x={x(item.value) + 6} y="30" font-size="13" fill={INK}>{item.text}</text>
        </g>
      ))}
    </Figure>
  );
}

/** A range per item: a dark bar to the median, a lighter one on to the 90th percentile. */
export function RangeChart(props: ChartFrame & { items: { label: string; median: number; p90: number; text: string }[] }) {
  const x = scale(Math.max(...props.items.map((i) => i.p90), 0));
  return (
    <Figure {...props} height={props.items.length * ROW + 4}>
      {props.items.map((item, n) => (
        <g transform={`translate(0 ${n * ROW})`}>
          <text x="0" y="13" font-size="13" fill={INK}>{item.label}</text>
          <rect x="0" y="18" width={Math.max(x(item.p90), 1)} height="14" fill={SECOND} />
          <rect x="0" y="18" width={Math.max(x(item.median), 1)} height="14" fill={MAIN} />
          <text x={x(item.p90) + 6} y="30" font-size="13" fill={INK}>{item.text}</text>
        </g>
      ))}
    </Figure>
  );
}

/** A column per point in time (a month), labelled at its first, middle and last; each non-zero column carries its value. */
export function ColumnChart(props: ChartFrame & { points: { label: string; value: number; text: string }[] }) {
  const [top, bottom, left, right] = [20, 170, 4, W - 4];
  const max = Math.max(...props.points.map((p) => p.value), 1);
  const slot = (right - left) / Math.max(props.points.length, 1);
  const labelled = new Set([0, Math.floor((props.points.length - 1) / 2), props.points.length - 1]);
  return (
    <Figure {...props} height={200}>
      <line x1={left} y1={bottom} x2={right} y2={bottom} stroke={GRID} />
      {props.points.map((p, n) => {
        const h = (p.value / max) * (bottom - top);
        const x = left + n * slot;
        return (
          <g>
            {p.value > 0 && <rect x={x + slot * 0.15} y={bottom - h} width={slot * 0.7} height={h} fill={MAIN} />}
            {p.value > 0 && <text x={x + slot / 2} y={bottom - h - 4} font-size="12" text-anchor="middle" fill={INK}>{p.text}</text>}
            {labelled.has(n) && (
              <text x={n === 0 ? left : n === props.points.length - 1 ? right : x + slot / 2} y={bottom + 18} font-size="12" text-anchor={n === 0 ? 'start' : n === props.points.length - 1 ? 'end' : 'middle'} fill={INK}>{p.label}</text>
            )}
          </g>
        );
      })}
    </Figure>
  );
}

/** A line over time, labelled at its first, middle and last point; `reference` a dashed level (a quota). */
export function LineChart(props: ChartFrame & { points: { label: string; value: number }[]; reference?: { value: number; label: string }; format: (n: number) => string }) {
  const [top, bottom, left, right] = [20, 170, 36, W - 12];
  const max = Math.max(...props.points.map((p) => p.value), props.reference?.value ?? 0, 1);
  const y = (v: number) => bottom - (v / max) * (bottom - top);
  const step = props.points.length > 1 ? (right - left) / (props.points.length - 1) : 0;
  const x = (n: number) => left + n * step;
  const labelled = new Set([0, Math.floor((props.points.length - 1) / 2), props.points.length - 1]);
  return (
    <Figure {...props} height={200}>
      <line x1={left} y1={bottom} x2={right} y2={bottom} stroke={GRID} />
      <text x={left - 6} y={bottom + 4} font-size="12" text-anchor="end" fill={INK}>{props.format(0)}</text>
      <text x={left - 6} y={top + 4} font-size="12" text-anchor="end" fill={INK}>{props.format(max)}</text>
      <line x1={left} y1={top} x2={right} y2={top} stroke={GRID} stroke-dasharray="2 4" />
      {props.reference && (
        <g>
          <line x1={left} y1={y(props.reference.value)} x2={right} y2={y(props.reference.value)} stroke={ALERT} stroke-width="2" stroke-dasharray="6 4" />
          <text x={right} y={y(props.reference.value) - 5} font-size="12" text-anchor="end" fill={ALERT}>{props.reference.label}</text>
        </g>
      )}
      <polyline points={props.points.map((p, n) => `${x(n)},${y(p.value)}`).join(' ')} fill="none" stroke={MAIN} stroke-width="2.5" />
      {props.points.map((p, n) => (
        <circle cx={x(n)} cy={y(p.value)} r="3.5" fill={MAIN} />
      ))}
      {props.points.map((p, n) =>
        labelled.has(n) ? (
          <text x={x(n)} y={bottom + 18} font-size="12" text-anchor={n === 0 ? 'start' : n === props.points.length - 1 ? 'end' : 'middle'} fill={INK}>{p.label}</text>
        ) : null,
      )}
    </Figure>
  );
}
