/**
 * "My settings": how each kind of email reaches the person (at once, in the daily overview, not at
 * all), the hour of their daily overview, and their absences with the colleague who stands in
 * (usecases/notification-settings.ts, the same rules as `/v1/me/…`). Plain forms, no script.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { DELIVERIES, NOTIFICATION_KINDS, type Delivery } from '../domain/notification-preferences.js';
import type { DoorDeps } from '../usecases/deps.js';
import { AbsenceInput, addAbsence, colleaguesOf, endAbsence, listAbsences, PreferencesInput, readPreferences, savePreferences } from '../usecases/notification-settings.js';
import { ProblemError } from '../usecases/problem.js';
import { formatDate, localDay } from './dates.js';
import { personOf, type WebContext, type WebEnv } from './env.js';
import { redirectWith, takeFlash } from './flash.js';
import { Form, Page } from './layout.js';
import { NotFound } from './problems.js';

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const hourText = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** A refusal the person can act on comes back as a message on this page; anything else is an error page. */
function refusedOr(c: WebContext, error: unknown): Response {
  const text = error instanceof ProblemError ? c.get('t').me.refused[error.status] : undefined;
  if (!text) throw error;
  return redirectWith(c, '/me', { kind: 'error', text });
}

export function mePages({ sql }: DoorDeps) {
  const app = new Hono<WebEnv>();

  app.get('/me', async (c) => {
    const t = c.get('t');
    const person = personOf(c);
    const [prefs, absences, colleagues] = await Promise.all([readPreferences(sql, person), listAbsences(sql, person), colleaguesOf(sql, person)]);
    // The absence's last day: it ends at the start of the next (or when it was called off).
    const lastDay = (endsAt: string) => formatDate(t, Date.parse(endsAt) - 1);
    return c.html(
      <Page c={c} title={t.me.title} section="me" flash={takeFlash(c)}>
        <h1>{t.me.title}</h1>
        <section aria-labelledby="me-messages">
          <h2 id="me-messages">{t.me.messages}</h2>
          <p>{t.me.messagesIntro}</p>
          <Form c={c} action="/me/preferences">
            {prefs.kinds.map((k) => (
              <div class="field">
                {k.essential ? (
                  // Nothing to choose, so no control: said in words.
                  <p>
                    {t.me.kinds[k.kind] ?? k.kind}: <span class="muted">{t.me.alwaysAtOnce}</span>
                  </p>
                ) : (
                  <>
                    <label for={`kind-${k.kind}`}>{t.me.kinds[k.kind] ?? k.kind}</label>
                    <select id={`kind-${k.kind}`} name={`kind-${k.kind}`}>
                      {k.allowed.map((d) => (
                        <option value={d} selected={d === k.delivery}>{t.me.deliveries[d] ?? d}</option>
                      ))}
                    </select>
                  </>
                )}
              </div>
            ))}
            <div class="field">
              <label for="digest-hour">{t.me.digestHour}</label>
              <select id="digest-hour" name="digestHour" aria-describedby="digest-hint">
                <option value="" selected={prefs.digestHour === null}>{t.me.noDigest}</option>
                {HOURS.map((h) => (
                  <option value={String(h)} selected={prefs.digestHour === h}>{hourText(h)}</option>
                ))}
              </select>
              <p class="hint" id="digest-hint">{t.me.digestHint}</p>
            </div>
            <button type="submit" class="primary">{t.me.save}</button>
          </Form>
        </section>
        <section aria-labelledby="me-away">
          <h2 id="me-away">{t.me.away}</h2>
          <p>{t.me.awayIntro}</p>
          {absences.length === 0 ? (
            <p>{t.me.noAbsences}</p>
          ) : (
            <ul>
              {absences.map((a) => (
                <li>
                  {t.me.absence(a.current ? t.me.now : formatDate(t, a.startsAt), lastDay(a.endsAt), a.delegate.name)}{' '}
                  <Form c={c} action={`/me/absences/${a.id}/end`} class="inline">
                    <button type="submit" class="secondary">{t.me.callOff}</button>
                  </Form>
                </li>
              ))}
            </ul>
          )}
          {colleagues.length === 0 ? (
            <p>{t.me.noColleagues}</p>
          ) : (
            <Form c={c} action="/me/absences">
              <div class="field">
                <label for="away-from">{t.me.from}</label>
                <input type="date" id="away-from" name="from" required min={localDay()} />
              </div>
              <div class="field">
                <label for="away-until">{t.me.until}</label>
                <input type="date" id="away-until" name="until" required min={localDay()} />
              </div>
              <div class="field">
                <label for="away-delegate">{t.me.delegate}</label>
                <select id="away-delegate" name="delegateId" required>
                  {colleagues.map((p) => (
                    <option value={p.personId}>{p.name}</option>
                  ))}
                </select>
              </div>
              <button type="submit" class="primary">{t.me.addAbsence}</button>
            </Form>
          )}
        </section>
      </Page>,
    );
  });

  app.post('/me/preferences', async (c) => {
    const t = c.get('t');
    // Parsed already by the form check (web/guard.ts); Hono keeps the parsed body.
    const form = await c.req.parseBody();
    const preferences: Partial<Record<string, Delivery>> = {};
    for (const kind of NOTIFICATION_KINDS) {
      const value = form[`kind-${kind}`];
      if (typeof value === 'string' && (DELIVERIES as readonly string[]).includes(value)) preferences[kind] = value as Delivery;
    }
    const hour = typeof form.digestHour === 'string' && form.digestHour !== '' ? Number(form.digestHour) : null;
    const input = PreferencesInput.safeParse({ preferences, digestHour: hour });
    if (!input.success) return redirectWith(c, '/me', { kind: 'error', text: t.me.refused[400]! });
    try {
      await savePreferences(sql, personOf(c), input.data);
      return redirectWith(c, '/me', { kind: 'ok', text: t.me.saved });
    } catch (error) {
      if (error instanceof ProblemError && error.status === 400) return redirectWith(c, '/me', { kind: 'error', text: t.me.needsHour });
      throw error;
    }
  });

  app.post('/me/absences', async (c) => {
    const t = c.get('t');
    const form = await c.req.parseBody();
    const key = typeof form._key === 'string' && /^[\w-]{8,64}$/.test(form._key) ? form._key : undefined;
    try {
      const input = AbsenceInput.parse({ from: form.from, until: form.until, delegateId: form.delegateId });
      await addAbsence(sql, personOf(c), input, key);
      return redirectWith(c, '/me', { kind: 'ok', text: t.me.absenceSaved });
    } catch (error) {
      if (error instanceof z.ZodError) return redirectWith(c, '/me', { kind: 'error', text: t.me.refused[400]! });
      return refusedOr(c, error);
    }
  });

  app.post('/me/absences/:id/end', async (c) => {
    const t = c.get('t');
    const id = c.req.param('id');
    if (!z.uuid().safeParse(id).success) return NotFound(c);
    try {
      await endAbsence(sql, personOf(c), id);
      return redirectWith(c, '/me', { kind: 'ok', text: t.me.calledOff });
    } catch (error) {
      return refusedOr(c, error);
    }
  });

  return app;
}
