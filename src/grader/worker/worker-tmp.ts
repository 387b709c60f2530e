// Imported first by the worker: its own temporary folder (learners' private copies and homes) comes from
// the pool as LAB_WORKER_TMPDIR. The pool leaves TMPDIR as it was so that tsx, which loads the worker, finds its
// transform cache of the suite's own code there instead of compiling every module again in each new worker.
// Its test processes start with the suite's TMPDIR too, for the same cache (src/runner/kept-forks.ts).
import os from 'node:os';
import { START_TMPDIR_VARIABLE } from '../../runner/kept-fork-protocol.ts';

if (process.env.LAB_WORKER_TMPDIR) {
  process.env[START_TMPDIR_VARIABLE] = os.tmpdir();
  process.env.TMPDIR = process.env.LAB_WORKER_TMPDIR;
}
