// GET /metrics: what an operator alerts on — actions by outcome, refusals by kind, HTTP latency by
// route, the backlog of email, open cases by stage — counted as a real case is worked, with no
// personal data in any label; and behind a bearer token when METRICS_TOKEN is set.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { createMailer } from '../../infra/mailer.js';
import { createApp } from '../../server/app.js';
import { useApi } from '../support/api.js';
import { createParties, type Member } from '../support/fixtures.js';
import { PUBLIC_URL, TEST_MAIL_FROM } from '../support/stack.js';

/** The value of one sample (name and exact label set) in a Prometheus exposition; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${wanted}} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('GET /metrics', () => {
  const h = useApi('metrics');
  let m: Record<string, Member>;
  let parties: Record<string, string>;
  const scrape = async () => {
    const response = await h.app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  beforeAll(async () => {
    ({ members: m, parties } = await createParties(h.sql, builtInTemplates['community-sponsorship']!));
  });

  it('counts actions by outcome, refusals by kind and answers by route, with no personal data', async () => {
    const created = await h.call(m.sponsor!, 'POST', '/v1/cases', { reference: 'MET-1', pathwayId: 'community-sponsorship', parties, household: { principalName: 'Metrica Householder' } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const decision = `/v1/cases/${id}/gates/eligibility/decision`;
    const route = { method: 'POST', route: '/v1/cases/:id/gates/:gateId/decision' };
    const before = await scrape();

    expect((await h.call(m.sponsor!, 'POST', decision, { outcome: 'approve' })).status).toBe(409);
    expect((await h.call(m.coordinator!, 'POST', decision, { outcome: 'approve' })).status).toBe(200);
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('saferoutes_actions_total', { action: 'decide', outcome: 'applied' })).toBe(1);
    expect(delta('saferoutes_actions_total', { action: 'decide', outcome: 'refused' })).toBe(1);
    // The refusal's code: never the gate's id (something a caller sends).
    expect(delta('saferoutes_refusals_total', { code: 'not-your-turn' })).toBe(1);
    expect(after).not.toMatch(/saferoutes_refusals_total\{[^}]*eligibility/);
    expect(delta('saferoutes_http_request_duration_seconds_count', { ...route, status: '409' })).toBe(1);
    expect(delta('saferoutes_http_request_duration_seconds_count', { ...route, status: '200' })).toBe(1);
    expect(after).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(after).not.toContain('Metrica');
    expect(after).not.toContain(id);
  });

  it('reads open cases by stage and the email backlog from the projection', async () => {
    const created = await h.call(m.sponsor!, 'POST', '/v1/cases', { reference: 'MET-2', pathwayId: 'community-sponsorship', parties, household: { principalName: 'Metrica Second' } });
    expect(created.status).toBe(201);
    const openAtEligibility = async () => {
      const [row] = await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM cases WHERE status IN ('active', 'waitlisted', 'starting') AND pathway_name = 'Community sponsorship' AND stage_title = 'Eligibility'`;
      return row!.n;
    };
    // The gauge says what the projection holds (read at most every 10 s, so it is polled).
    await expect
      .poll(async () => sample(await scrape(), 'saferoutes_open_cases', { pathway: 'Community sponsorship', stage: 'Eligibility' }) === (await openAtEligibility()) && (await openAtEligibility()) > 0, { timeout: 30_000, interval: 1_000 })
      .toBe(true);
    const text = await scrape();
    expect(text).toMatch(/^saferoutes_notifications\{state="queued"\} \d+$/m);
    expect(text).toMatch(/^saferoutes_notifications_oldest_queued_seconds \d/m);
    expect(text).toMatch(/^# TYPE saferoutes_overdue_steps gauge$/m);
  });

  it('asks for the bearer token when METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-for-the-test-0123456789';
    const app = createApp({ temporal: h.client, temporalConnection: h.connection, sql: h.sql, mailer: createMailer(inject('smtpUrl')), config: { publicUrl: PUBLIC_URL, mailFrom: TEST_MAIL_FROM }, taskQueue: h.taskQueue, metricsToken: token });
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer wrong-token-of-the-same-size-0123' } })).status).toBe(401);
    const allowed = await app.request('/metrics', { headers: { authorization: `Bearer ${token}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toMatch(/^saferoutes_actions_total/m);
  });
});
