import { serve } from '@hono/node-server';
import type { App } from './app.js';

/** Serves the app; resolves once listening, with a function that stops accepting and closes. */
export function listen(app: App, host: string, port: number): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
      resolve({
        url: `http://${host}:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once('error', reject);
  });
}
