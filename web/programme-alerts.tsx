/**
 * A programme's alerts on its page, for its coordinators: what each watches, whether it is crossed
 * now (and since when) or clear, what it last measured; a form to add one, and a button to remove
 * one. The rules and the measuring: usecases/programme-alerts.ts, activities/alerts.ts.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { DoorDeps } from '../usecases/deps.js';
import { ProblemError } from '../usecases/problem.js';
import { createAlert, deleteAlert, NewAlert, type ProgrammeAlert } from '../usecases/programme-alerts.js';
import { formatDate } from './dates.js';
import { personOf, type WebContext, type WebEnv } from './env.js';
import { redirectWith } from './flash.js';
import type { Messages } from './i18n/index.js';
import { Form, Table } from './layout.js';

export function AlertsSection({ c, t, programmeId, alerts }: { c: WebContext; t: Messages; programmeId: string; alerts: ProgrammeAlert[] }) {
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t.alerts.title}</h2>
      <p class="hint">{t.alerts.intro}</p>
      {alerts.length === 0 ? (
        <p>{t.alerts.none}</p>
      ) : (
        <Table labelledBy="alerts-title" headers={[t.alerts.watches, t.alerts.state, t.alerts.measured, '']}>
          {alerts.map((a) => (
            <tr>
              <td data-label={t.alerts.watches}>{t.alerts.kinds[a.kind](a.threshold)}</td>
              <td data-label={t.alerts.state}>{a.crossedSince ? <strong>{t.alerts.crossedSince(formatDate(t, a.crossedSince, true))}</strong> : t.alerts.clear}</td>
              <td data-label={t.alerts.measured}>{a.lastValue === null || !a.evaluatedAt ? t.alerts.notYet : t.alerts.lastValue(a.lastValue, formatDate(t, a.evaluatedAt, true))}</td>
              <td>
                <Form c={c} action={`/programmes/${programmeId}/alerts/${a.id}/delete`}>
                  <button class="secondary" type="submit" aria-label={t.alerts.removeNamed(t.alerts.kinds[a.kind](a.threshold))}>{t.alerts.remove}</button>
                </Form>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <details>
        <summary>{t.alerts.add}</summary>
        <Form c={c} action={`/programmes/${programmeId}/alerts`}>
          <label for="alert-kind">{t.alerts.kind}</label>
          <select id="alert-kind" name="kind">
            <option value="overdue-steps">{t.alerts.kindChoice['overdue-steps']}</option>
            <option value="step-age">{t.alerts.kindChoice['step-age']}</option>
          </select>
          <label for="alert-threshold">{t.alerts.threshold}</label>
          <input id="alert-threshold" name="threshold" type="number" inputmode="numeric" min={1} max={100000} required value="10" />
          <button class="primary" type="submit">{t.alerts.addButton}</button>
        </Form>
      </details>
    </section>
  );
}

export function programmeAlertPages({ sql }: DoorDeps) {
  const app = new Hono<WebEnv>();
  const back = (id: string) => `/programmes/${id}#alerts-title`;
  const failed = (c: WebContext, id: string, error: unknown) => {
    if (error instanceof ProblemError && (error.status === 409 || error.status === 404)) return redirectWith(c, back(id), { kind: 'error', text: error.status === 409 ? c.get('t').alerts.tooMany : c.get('t').alerts.gone });
    throw error;
  };

  app.post('/programmes/:id/alerts', async (c) => {
    const id = z.uuid().parse(c.req.param('id'));
    const form = await c.req.parseBody();
    const parsed = NewAlert.safeParse(form);
    if (!parsed.success) return redirectWith(c, back(id), { kind: 'error', text: c.get('t').alerts.invalid });
    try {
      await createAlert(sql, personOf(c), id, parsed.data, typeof form._key === 'string' ? `form:${form._key}` : undefined);
    } catch (error) {
      return failed(c, id, error);
    }
    return redirectWith(c, back(id), { kind: 'ok', text: c.get('t').alerts.added });
  });

  app.post('/programmes/:id/alerts/:alertId/delete', async (c) => {
    const id = z.uuid().parse(c.req.param('id'));
    const alertId = z.uuid().parse(c.req.param('alertId'));
    try {
      await deleteAlert(sql, personOf(c), id, alertId);
    } catch (error) {
      return failed(c, id, error);
    }
    return redirectWith(c, back(id), { kind: 'ok', text: c.get('t').alerts.removed });
  });
  return app;
}
