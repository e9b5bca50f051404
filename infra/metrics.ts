/**
 * The process's Prometheus metrics: what SafeRoutes counts as it works (actions, refusals, mail
 * delivered, HTTP answers) and, when a Temporal worker runs in the process, the SDK's own runtime
 * metrics, read from its exporter on loopback (`addMetricsSource`). Labels are types, codes and
 * route templates only — never an id or anything a person typed — so their number stays small.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** Every action on a case or programme through either door, by what became of it. */
export const actionsTotal = new Counter({
  name: 'saferoutes_actions_total',
  help: 'Actions on cases and programmes, by action and outcome (applied, refused, unknown: outcome not known yet, 503)',
  labelNames: ['action', 'outcome'] as const,
  registers: [registry],
});

/** Refusals by their code (domain/refusal.ts: e.g. not-your-turn, gate-not-open; unknown from an older worker), to alert on a surge. */
export const refusalsTotal = new Counter({
  name: 'saferoutes_refusals_total',
  help: 'Actions refused by a case or programme, by refusal code',
  labelNames: ['code'] as const,
  registers: [registry],
});

/** Emails handed to SMTP (sent), put back for a later try (retry) or given up on (failed, a 5xx). */
export const notificationsDelivered = new Counter({
  name: 'saferoutes_notifications_delivered_total',
  help: 'Email delivery attempts by result: sent, retry (SMTP unreachable or 4xx), failed (refused for good)',
  labelNames: ['result'] as const,
  registers: [registry],
});

export const httpRequestDuration = new Histogram({
  name: 'saferoutes_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Other exposition text joined to the registry's, e.g. the Temporal SDK's exporter. */
const sources: Array<() => Promise<string>> = [];

export function addMetricsSource(source: () => Promise<string>): void {
  sources.push(source);
}

export const METRICS_CONTENT_TYPE = registry.contentType;

/** The whole exposition of this process, in Prometheus text format. */
export async function metricsText(): Promise<string> {
  const parts = [await registry.metrics()];
  // A source that cannot answer (its exporter restarting) leaves the rest of the scrape intact.
  for (const source of sources) parts.push(await source().catch(() => ''));
  return parts.filter(Boolean).join('\n');
}
