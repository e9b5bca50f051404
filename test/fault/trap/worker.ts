/** A worker of its own process (so the test can kill -9 it) for the trap's workflow. Args: address, task queue, bundle path. */
import { readFileSync } from 'node:fs';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';

const [address, taskQueue, bundlePath] = process.argv.slice(2) as [string, string, string];
Runtime.install({ logger: new DefaultLogger('ERROR') });
const connection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection,
  taskQueue,
  workflowBundle: { code: readFileSync(bundlePath, 'utf8') },
  activities: { async touch() {} },
});
console.log('polling');
await worker.run();
