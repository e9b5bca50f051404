// The development mailbox page shows what the SMTP sink received, links clickable, nothing else.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailbox } from '../../devstack/mailbox.js';
import { startSmtpSink } from '../../devstack/smtp-sink.js';
import { createMailer } from '../../infra/mailer.js';

describe('the development mailbox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'saferoutes-mailbox-'));
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;

  beforeAll(async () => {
    sink = await startSmtpSink({ port: 0, mailDir: join(dir, 'mail') });
    mailbox = await startMailbox({ port: 0, mailDir: sink.mailDir });
    writeFileSync(join(dir, 'secret.eml'), 'not in the mail directory');
    const mailer = createMailer(sink.url);
    await mailer.sendMail({ from: 'a@saferoutes.test', to: 'anna@example.test', subject: 'Your sign-in link for SafeRoutes', text: 'Use this link: http://localhost:3000/sign-in/link?token=abc&next=%2Fcases <b>' });
    mailer.close();
  });
  afterAll(async () => {
    await mailbox?.stop();
    await sink?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the messages and shows one with its links clickable and its text escaped', async () => {
    const list = await (await fetch(`${mailbox.url}/`)).text();
    expect(list).toContain('anna@example.test');
    const href = /href="(\/message\/[^"]+)"/.exec(list)![1]!;
    const message = await (await fetch(`${mailbox.url}${href}`)).text();
    expect(message).toContain('<a href="http://localhost:3000/sign-in/link?token=abc&amp;next=%2Fcases">');
    expect(message).toContain('&lt;b&gt;');
  });

  it('answers only requests addressed to this machine (no DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const port = new URL(mailbox.url).port;
      request({ host: '127.0.0.1', port, path: '/', headers: { host: `attacker.example:${port}` } }, (res) => resolve(res.statusCode!)).on('error', reject).end();
    });
    expect(status).toBe(421);
  });

  it('serves no file outside the mail directory', async () => {
    expect((await fetch(`${mailbox.url}/message/..%2Fsecret.eml`)).status).toBe(404);
  });
});
