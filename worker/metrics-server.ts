/**
 * The worker's own /metrics, for a worker running as a process of its own (WORKER_METRICS_PORT):
 * the Temporal SDK's runtime metrics and this process's (mail delivered, Node's own). Under
 * `npm start` the worker shares the API's process, and the API's /metrics shows the same.
 */
import { createServer } from 'node:http';
import { log } from '../infra/logger.js';
import { METRICS_CONTENT_TYPE, metricsText } from '../infra/metrics.js';

export interface MetricsServer {
  url: string;
  stop(): Promise<void>;
}

export async function startMetricsServer(host: string, port: number): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: the worker serves GET /metrics only\n');
      return;
    }
    metricsText().then(
      (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' }).end(text),
      (error: unknown) => {
        log.error({ component: 'metrics', err: error }, 'could not collect the metrics');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('could not collect the metrics\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
