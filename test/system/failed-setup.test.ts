// A test setup that fails part-way leaves no process running: when PostgreSQL cannot start, the
// Temporal dev server and the SMTP sink the setup had already started are stopped again, and the
// error says what failed and what was stopped. Runs the global setup's own start
// (startTestServers) with the failure injected, on ports of its own.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseTestServerPorts, startTestServers, type TestServerPorts } from '../support/test-servers.js';

/** Whether a server could listen on the port now (nothing holds it any more). */
const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** Pids of the Temporal dev servers started with `--port <port>`: nobody else uses our fresh port. */
function devServersOn(port: number): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // it ended meanwhile
    }
    const at = args.indexOf('--port');
    if (args.includes('start-dev') && at >= 0 && args[at + 1] === String(port)) pids.push(Number(pid));
  }
  return pids;
}

describe('a test setup whose PostgreSQL cannot start', () => {
  let scratch: string;
  const portsUsed: TestServerPorts[] = [];

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'saferoutes-failed-setup-'));
    // Run as root, PostgreSQL runs as its own user, which must be able to reach its folders.
    chmodSync(scratch, 0o755);
  });
  afterAll(() => {
    // Should the clean-up ever regress, the test fails above; this keeps the dev server it left from outliving it.
    for (const ports of portsUsed) for (const pid of devServersOn(ports.temporal)) process.kill(pid, 'SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  });

  async function failingSetup(name: string, postgresDir: (dir: string) => string): Promise<{ error: Error; ports: TestServerPorts }> {
    const dir = join(scratch, name);
    mkdirSync(dir, { mode: 0o755 });
    const ports = await chooseTestServerPorts();
    portsUsed.push(ports);
    const outcome = await startTestServers({ scratchDir: dir, ports, postgresDir: postgresDir(dir) }).then(
      async (servers) => {
        await servers.stop();
        throw new Error('the setup started although PostgreSQL could not');
      },
      (error: unknown) => error as Error,
    );
    return { error: outcome, ports };
  }

  async function expectNothingLeftRunning(ports: TestServerPorts) {
    expect(devServersOn(ports.temporal)).toEqual([]);
    for (const port of [ports.temporal, ports.temporalHttp, ports.temporalMetrics, ports.postgres, ports.smtp]) {
      expect({ port, free: await canListen(port) }).toEqual({ port, free: true });
    }
  }

  it('whose data folder cannot be made: stops the Temporal dev server and SMTP sink it had started, and says so', async () => {
    const { error, ports } = await failingSetup('blocked', (dir) => {
      // A file where the data folder's parent should be: PostgreSQL fails at once, while Temporal is still coming up.
      writeFileSync(join(dir, 'not-a-folder'), '');
      return join(dir, 'not-a-folder', 'pg');
    });
    expect(error.message).toMatch(new RegExp(`^test setup failed: PostgreSQL on 127\\.0\\.0\\.1:${ports.postgres} could not start: `));
    // Temporal had come up (it is only listed once serving), and was stopped again, like the sink.
    const stoppedLine = error.message.split('\n').find((l) => l.startsWith('stopped again what had started: '));
    expect(stoppedLine).toContain(`Temporal dev server on 127.0.0.1:${ports.temporal}`);
    expect(stoppedLine).toContain(`SMTP sink on 127.0.0.1:${ports.smtp}`);
    expect(error.message).not.toContain('COULD NOT STOP');
    await expectNothingLeftRunning(ports);
  });

  it('whose server exits at start: stops the others, and the error carries PostgreSQL’s own words', async () => {
    const { error, ports } = await failingSetup('refused', (dir) => {
      // A data folder PostgreSQL refuses (not one it made, for a version that does not exist): the server itself starts and exits.
      const pg = join(dir, 'pg');
      mkdirSync(pg, { mode: 0o700 });
      writeFileSync(join(pg, 'PG_VERSION'), '7\n');
      return pg;
    });
    expect(error.message).toMatch(new RegExp(`^test setup failed: PostgreSQL on 127\\.0\\.0\\.1:${ports.postgres} could not start: PostgreSQL on port ${ports.postgres} \\(data .*\\) did not start: `));
    expect(error.message).toMatch(/did not start: the server exited; it said: \S+/);
    expect(error.message).toContain(`Temporal dev server on 127.0.0.1:${ports.temporal}`);
    await expectNothingLeftRunning(ports);
  });
});
