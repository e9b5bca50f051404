// Temporal anywhere: the API's client and the worker's native connection reach a Temporal frontend
// over TLS with a client certificate (mTLS), configured only through the environment. The dev
// server speaks plain gRPC, so a TLS terminator that demands a client certificate signed by a CA of
// this test's own stands in front of it, as a load balancer of a TLS cluster would.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadEnv, temporalSecurityFromEnv } from '../../infra/config.js';
import { createTemporalClient } from '../../infra/temporal.js';
import { connectWorkerConnection } from '../../worker/worker.js';
import { freePort } from '../support/ports.js';

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A CA, a server certificate for localhost and a client certificate, all signed by that CA. */
function makeCertificates(dir: string) {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=SafeRoutes test CA', '-keyout', 'ca.key', '-out', 'ca.pem']);
  for (const [name, subject, extension] of [
    ['server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    ['client', '/CN=saferoutes-worker', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    writeFileSync(join(dir, `${name}.ext`), `${extension}\n`);
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
  }
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client.key'), server: { cert: readFileSync(join(dir, 'server.pem')), key: readFileSync(join(dir, 'server.key')) } };
}

describe('Temporal over TLS with a client certificate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'saferoutes-tls-'));
  let proxy: Server;
  let address: string;
  let certificates: ReturnType<typeof makeCertificates>;
  const handshakes = { accepted: 0, refused: 0 };

  beforeAll(async () => {
    certificates = makeCertificates(dir);
    const [upstreamHost, upstreamPort] = inject('temporalAddress').split(':') as [string, string];
    proxy = createTlsServer({ ...certificates.server, ca: readFileSync(certificates.ca), requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] }, (socket) => {
      handshakes.accepted += 1;
      const upstream = connectTcp(Number(upstreamPort), upstreamHost);
      socket.pipe(upstream).pipe(socket);
      const close = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', close);
      upstream.on('error', close);
    });
    proxy.on('tlsClientError', () => (handshakes.refused += 1));
    const port = await freePort();
    await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
    address = `127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const securityFor = (vars: Record<string, string>) => temporalSecurityFromEnv(loadEnv({ TEMPORAL_TLS_SERVER_NAME: 'localhost', ...vars }));

  it('the client and the worker connection reach Temporal through it with TEMPORAL_TLS_CA, _CERT and _KEY', async () => {
    const security = securityFor({ TEMPORAL_TLS_CA: certificates.ca, TEMPORAL_TLS_CERT: certificates.cert, TEMPORAL_TLS_KEY: certificates.key });
    const { connection } = createTemporalClient(address, 'default', {}, security);
    try {
      expect((await connection.healthService.check({})).status).toBe(1 /* SERVING */);
      const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(namespaceInfo?.name).toBe('default');
    } finally {
      await connection.close();
    }
    const worker = await connectWorkerConnection(address, 10_000, security);
    await worker.close();
    expect(handshakes.accepted).toBeGreaterThanOrEqual(2);
  });

  it('gets nowhere without the client certificate, or without TLS', async () => {
    const refusedBefore = handshakes.refused;
    const withoutCertificate = createTemporalClient(address, 'default', {}, securityFor({ TEMPORAL_TLS_CA: certificates.ca })).connection;
    await expect(withoutCertificate.healthService.check({})).rejects.toThrow();
    await withoutCertificate.close().catch(() => undefined);
    const plain = createTemporalClient(address, 'default', {}, {}).connection;
    await expect(plain.healthService.check({})).rejects.toThrow();
    await plain.close().catch(() => undefined);
    expect(handshakes.refused).toBeGreaterThan(refusedBefore);
  });
});
