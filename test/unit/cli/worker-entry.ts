// Test entry for the worker process: what `node dist/cli.js worker` does, run through tsx.
import { runWorker } from '../../../src/cli/worker';

void runWorker();
