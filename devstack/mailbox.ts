/**
 * A page to read what the development SMTP sink received — sign-in links above all — at
 * http://127.0.0.1:<MAILBOX_PORT>. Loopback only: the messages hold live sign-in links.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, join } from 'node:path';
import { simpleParser } from 'mailparser';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Escaped text with its http(s) links clickable. */
const linked = (s: string) => esc(s).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>` +
  '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:16px}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #ccc}pre{white-space:pre-wrap}</style>' +
  `</head><body>${body}</body></html>`;

export async function startMailbox(options: { port: number; mailDir: string }): Promise<{ url: string; stop(): Promise<void> }> {
  const messages = () => readdirSync(options.mailDir).filter((f) => f.endsWith('.eml')).sort().reverse();
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const send = (status: number, html: string) => res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end(html);
      // Only pages of this machine: a web page elsewhere that rebinds its name to 127.0.0.1 is refused.
      if (!/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(req.headers.host ?? '')) return send(421, page('Refused', '<p>Open the mailbox as http://127.0.0.1 or http://localhost.</p>'));
      if (url.pathname === '/') {
        const rows = await Promise.all(
          messages().slice(0, 200).map(async (file) => {
            const mail = await simpleParser(readFileSync(join(options.mailDir, file)));
            const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
            return `<tr><td>${esc(mail.date?.toISOString().replace('T', ' ').slice(0, 19) ?? '')}</td><td>${esc(to)}</td><td><a href="/message/${encodeURIComponent(file)}">${esc(mail.subject ?? '(no subject)')}</a></td></tr>`;
          }),
        );
        return send(200, page('Mailbox', `<h1>Mailbox (development)</h1><p>Every message SafeRoutes sent, newest first.</p><table><thead><tr><th>Sent (UTC)</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows.join('')}</tbody></table>`));
      }
      const file = url.pathname.startsWith('/message/') ? basename(decodeURIComponent(url.pathname.slice('/message/'.length))) : '';
      if (file && messages().includes(file)) {
        const mail = await simpleParser(readFileSync(join(options.mailDir, file)));
        const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
        return send(200, page(mail.subject ?? 'Message', `<p><a href="/">All messages</a></p><h1>${esc(mail.subject ?? '')}</h1><p>To: ${esc(to)}</p><pre>${linked(mail.text ?? '')}</pre>`));
      }
      send(404, page('Not found', '<p>No such message. <a href="/">All messages</a></p>'));
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
