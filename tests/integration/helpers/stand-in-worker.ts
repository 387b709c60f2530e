// A grading worker that speaks the pool's protocol without services or labs: it "grades" a repository by the
// instructions in its name, so that the pool's handling of workers that break can be tested with real processes.
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FromWorker, ToWorker } from '../../../src/grader/worker/protocol.ts';
import { RESULTS_VERSION, type RunResults } from '../../../src/results/model.ts';

const send = (message: FromWorker): void => void process.send?.(message);
const facts = {
  backend: 'embedded' as const,
  passedOver: [],
  owned: true,
  startedInMs: 1,
  dynamodb: { endpoint: 'http://127.0.0.1:8000', port: 8000, version: 'stand-in' },
  postgres: { url: 'postgresql://postgres:password@127.0.0.1:5432/cruddur', host: '127.0.0.1', port: 5432, user: 'postgres', password: 'password', database: 'cruddur', version: 'stand-in' },
};

if (process.env.STAND_IN_FAIL_START) {
  send({ type: 'broken', message: 'could not start the services: stand-in refuses' });
  process.exit(2);
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'stop') process.exit(0);
  const { job } = message;
  const name = path.basename(job.repository);
  const marker = path.join(job.outDir, 'crashed-once');
  if (name.includes('crash-always') || (name.includes('crash-once') && !existsSync(marker))) {
    writeFileSync(marker, String(process.pid));
    process.kill(process.pid, 'SIGKILL');
  }
  if (name.includes('hang')) return;
  if (name.includes('broken-once') && !existsSync(marker)) {
    writeFileSync(marker, String(process.pid));
    send({ type: 'broken', message: 'the lab run ended without a results file' });
    return;
  }
  const results: RunResults = {
    version: RESULTS_VERSION,
    status: 'pass',
    score: 1,
    max_score: 1,
    started_at: new Date().toISOString(),
    finished_at: new Date().toISOString(),
    backend: 'embedded',
    services: facts,
    submission: { kind: 'repository', path: job.repository },
    environment: { node: process.version, platform: `worker ${process.env.LAB_WORKER_INDEX} pid ${process.pid} interfaces ${Object.keys(os.networkInterfaces()).sort().join(',')}` },
    labs: [{ id: '01-x', title: 'x', status: 'pass', score: 1, max_score: 1 }],
    tests: [{ task_id: '01-x/1', lab: '01-x', name: 'x', status: 'pass', score: 1, max_score: 1, message: name, output: '' }],
  };
  // Out of order on purpose: later repositories finish first.
  setTimeout(() => send({ type: 'graded', index: job.index, results }), name.includes('slow') ? 400 : 10);
});
send({ type: 'ready', services: facts });
