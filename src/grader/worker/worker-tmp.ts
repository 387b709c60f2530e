// Imported first by the worker: its own temporary folder (learners' private copies and homes) comes from
// the pool as LAB_WORKER_TMPDIR. The pool leaves TMPDIR as it was so that tsx, which loads the worker, finds its
// transform cache of the suite's own code there instead of compiling every module again in each new worker.
if (process.env.LAB_WORKER_TMPDIR) process.env.TMPDIR = process.env.LAB_WORKER_TMPDIR;
