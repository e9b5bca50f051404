/**
 * `npm run bench [-- --cases N]`: measures SafeRoutes on this machine beside the raw engine, on a
 * fresh Temporal dev server and PostgreSQL of its own. Prints each figure with the machine it was
 * measured on. Scenario: a programme pausing and resuming N open cases (default 10,000).
 */
import { cpus, totalmem } from 'node:os';
import { fanout } from '../bench/fanout.js';
import { startBenchStack } from '../bench/stack.js';
import { freePorts } from '../test/support/ports.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

const cases = arg('cases', 10_000);
const [temporal, postgres] = (await freePorts(2)) as [number, number];
const cpu = cpus();
console.log(`machine: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
const stack = await startBenchStack({ temporal, postgres });
try {
  const result = await fanout(stack, cases);
  console.log(JSON.stringify({ scenario: 'programme pause/resume fan-out', ...result }));
} finally {
  await stack.stop();
}
process.exit(0);
