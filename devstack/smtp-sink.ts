/** An SMTP server on loopback that keeps every message it receives as an .eml file. */
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface RunningSmtpSink {
  url: string;
  mailDir: string;
  stop(): Promise<void>;
}

export async function startSmtpSink(options: { port: number; mailDir: string }): Promise<RunningSmtpSink> {
  mkdirSync(options.mailDir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'sink' }),
    // Like a real server refusing an unknown mailbox, so bounces can be tested: any *@bounce.invalid.
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith('@bounce.invalid')) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        // Write then rename, so a reader never sees half a message.
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`;
        const tmp = join(options.mailDir, `.${name}.tmp`);
        writeFileSync(tmp, Buffer.concat(chunks));
        renameSync(tmp, join(options.mailDir, name));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mailDir: options.mailDir,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
