/** Reads what the SMTP sink received (real messages over real SMTP). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { inject } from 'vitest';

export interface ReceivedMail {
  file: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

async function parse(file: string): Promise<ReceivedMail> {
  const parsed: ParsedMail = await simpleParser(readFileSync(file));
  const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
  return { file, to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: parsed.html || '', messageId: parsed.messageId ?? '' };
}

export async function receivedMail(): Promise<ReceivedMail[]> {
  const dir = inject('mailDir');
  const files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  return Promise.all(files.map((f) => parse(join(dir, f))));
}

/** Waits until at least `count` received messages match; returns them. */
export async function waitForMail(
  match: (mail: ReceivedMail) => boolean,
  { count = 1, timeoutMs = 30_000 } = {},
): Promise<ReceivedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await receivedMail()).filter(match);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`expected ${count} matching message(s) within ${timeoutMs} ms, got ${found.length}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
