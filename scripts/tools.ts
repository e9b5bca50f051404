/** Prints where the Temporal binaries are, installing them into .tools/ when needed. */
import { findTool } from '../devstack/tools.js';

for (const name of ['temporal', 'temporal-test-server'] as const) console.log(`${name}: ${findTool(name)}`);
