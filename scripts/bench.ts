/**
 * `npm run bench [-- options]`: SafeRoutes beside the raw Temporal engine under it, measured on
 * this machine, on a fresh Temporal dev server and PostgreSQL of its own (issue 10). Every figure
 * is printed with the raw engine's figure from the same run, their ratio and the target, then all
 * of them in one table.
 *
 *   --only p1,p2,…   which benchmarks to run, in the order below (default: all)
 *   --intake N       P1: cases opened through POST /v1/cases, and as many bare starts (500)
 *   --round-trips N  P2: actions through the API, and as many bare updates (300)
 *   --board-cases N  P3: the board, inbox and case list at N/10 and N projected cases (100,000)
 *   --reminders N    P4: open cases whose reminders fire on one worker, and as many raw timers (10,000)
 *   --cases N        fan-out: open cases of a programme that is paused and resumed (10,000)
 *   --json FILE      also write every figure as JSON to FILE
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { boardQueries } from '../bench/board-queries.js';
import { fanout } from '../bench/fanout.js';
import { intake } from '../bench/intake.js';
import { longCase } from '../bench/long-case.js';
import { reminders } from '../bench/reminders.js';
import { Report } from '../bench/report.js';
import { roundTrip } from '../bench/round-trip.js';
import { startBenchStack, type BenchStack } from '../bench/stack.js';
import { freePorts } from '../test/support/ports.js';

const OPTIONS = ['only', 'intake', 'round-trips', 'board-cases', 'reminders', 'cases', 'json'];

function usage(problem: string): never {
  console.error(`${problem}\nusage: npm run bench -- [--only p1,p2,…] [--intake N] [--round-trips N] [--board-cases N] [--reminders N] [--cases N] [--json FILE]`);
  process.exit(2);
}

const args = process.argv.slice(2);
for (const arg of args) if (arg.startsWith('--') && arg !== '--' && !OPTIONS.includes(arg.slice(2))) usage(`unknown option ${arg}`);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? usage(`--${name} needs a value`)) : undefined;
};
const size = (name: string, fallback: number) => {
  const given = option(name);
  const n = given === undefined ? fallback : Number(given);
  return Number.isInteger(n) && n > 0 ? n : usage(`--${name} takes a whole number above 0, not ${given}`);
};

const sizes = { intake: size('intake', 500), roundTrips: size('round-trips', 300), boardCases: size('board-cases', 100_000), reminders: size('reminders', 10_000), cases: size('cases', 10_000) };

interface Benchmark {
  id: string;
  title: string;
  run(stack: BenchStack, report: Report): Promise<void>;
}

const benchmarks: Benchmark[] = [
  { id: 'p1', title: `P1 intake, ${sizes.intake} cases`, run: (stack, report) => intake(stack, sizes.intake, report) },
  { id: 'p2', title: `P2 action round-trip, ${sizes.roundTrips} actions`, run: (stack, report) => roundTrip(stack, sizes.roundTrips, report) },
  { id: 'p3', title: `P3 board, inbox and case list at ${sizes.boardCases / 10} and ${sizes.boardCases} cases`, run: (stack, report) => boardQueries(stack, sizes.boardCases, report) },
  { id: 'p4', title: `P4 reminders of ${sizes.reminders} open cases`, run: (stack, report) => reminders(stack, sizes.reminders, report) },
  { id: 'p5', title: 'P5 history of a 24-month case', run: (stack, report) => longCase(stack, report) },
  {
    id: 'fanout',
    title: `programme pause/resume fan-out over ${sizes.cases} cases`,
    async run(stack, report) {
      const result = await fanout(stack, sizes.cases);
      console.log(JSON.stringify({ scenario: 'programme pause/resume fan-out', ...result }));
      report.details.fanout = result;
    },
  },
];

const only = option('only')?.split(',');
for (const id of only ?? []) if (!benchmarks.some((b) => b.id === id)) usage(`--only: no benchmark "${id}"; there are ${benchmarks.map((b) => b.id).join(', ')}`);
const chosen = benchmarks.filter((b) => !only || only.includes(b.id));

const cpu = cpus();
const machine = `${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
console.log(`machine: ${machine}`);
const [temporal, postgres] = (await freePorts(2)) as [number, number];
const stack = await startBenchStack({ temporal, postgres });
// Ctrl-C (or the SIGTERM npm's wrapper passes on) must not leave the servers running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stack.stop().finally(() => process.exit(1)));

const report = new Report();
const failed: string[] = [];
try {
  for (const benchmark of chosen) {
    console.log(`\n— ${benchmark.title}`);
    try {
      await benchmark.run(stack, report);
    } catch (error) {
      // The others' figures are still worth having from a run that may have taken an hour.
      failed.push(benchmark.id);
      console.error(`${benchmark.id} failed:`, error);
    }
  }
} finally {
  await stack.stop();
}

console.log(`\n${report.table()}`);
if (failed.length) console.log(`failed: ${failed.join(', ')}`);
const jsonFile = option('json');
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ machine, command: ['npm run bench --', ...args].join(' '), benchmarks: chosen.map((b) => b.id), sizes, figures: report.figures, details: report.details, failed }, null, 2)}\n`);
process.exit(failed.length ? 1 : 0);
