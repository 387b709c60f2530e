// npm run bench: how fast the services start on each backend available here, how long the labs take,
// and grading throughput. Figures go to stdout and to reports/bench.json; the README quotes them.
import '../src/config/announce-node-support.ts';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmdirSync, utimesSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { loadConfig } from '../src/config/load-config.ts';
import { errorMessage } from '../src/errors.ts';
import { startServices } from '../src/services/start-services.ts';
import type { StepEvidence } from '../src/results/model.ts';
import type { BackendName } from '../src/services/types.ts';
import { TYPESCRIPT_ARGS } from '../src/runner/node-args.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Figures {
  runs: number;
  medianMs: number;
  maxMs: number;
  peakRssMb?: number;
}

function summarize(samples: number[], rss: number[] = []): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: samples.length,
    medianMs: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    maxMs: Math.round(sorted.at(-1) ?? 0),
    ...(rss.length ? { peakRssMb: Math.round(Math.max(...rss)) } : {}),
  };
}

/** Resident memory of every process descended from us (java, postgres and its backends), in MB. */
function descendantsRssMb(): number {
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      parents.set(Number(entry), Number(status.match(/^PPid:\s+(\d+)/m)?.[1] ?? 0));
      rss.set(Number(entry), Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0));
    } catch {
      // the process ended while we looked
    }
  }
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!mine.has(pid) && mine.has(ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  mine.delete(process.pid);
  return [...mine].reduce((sum, pid) => sum + (rss.get(pid) ?? 0), 0) / 1024;
}

async function benchBackend(backend: BackendName): Promise<Figures | string> {
  const config = loadConfig({ ...process.env, LAB_BACKEND: backend });
  const samples: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const started = performance.now();
    let running;
    try {
      running = await startServices(config);
    } catch (error) {
      return `not available: ${(error as Error).message.split('\n')[0]}`;
    }
    const elapsed = performance.now() - started;
    const memory = descendantsRssMb();
    await running.stop();
    // The first run warms the disk cache and the JIT; it is not counted.
    if (i > 0) {
      samples.push(elapsed);
      rss.push(memory);
    }
    process.stdout.write(`  ${backend} run ${i === 0 ? 'warm-up' : i}: ${Math.round(elapsed)} ms\n`);
  }
  return summarize(samples, backend === 'embedded' ? rss : []);
}

function timeCommand(label: string, args: string[], env: NodeJS.ProcessEnv, runs = RUNS): Figures | string {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = spawnSync('npx', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const elapsed = performance.now() - started;
    if (result.status !== 0) return `failed (exit ${result.status}): ${result.stderr.split('\n').slice(-5).join(' ')}`;
    samples.push(elapsed);
    process.stdout.write(`  ${label} run ${i + 1}: ${Math.round(elapsed)} ms\n`);
  }
  return summarize(samples);
}

function line(label: string, figures: Figures | string): string {
  if (typeof figures === 'string') return `${label}: ${figures}`;
  const memory = figures.peakRssMb === undefined ? '' : `, peak memory ${figures.peakRssMb} MB`;
  return `${label}: median ${figures.medianMs} ms, max ${figures.maxMs} ms over ${figures.runs} runs${memory}`;
}

const only = process.argv.slice(2); // e.g. `npm run bench -- embedded labs`; nothing = everything
const want = (name: string) => only.length === 0 || only.includes(name);
const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const report: Record<string, Figures | string> = {};
console.log(`bench on ${machine}`);
// This machine's speed drifts within the hour (a shared VM): a fixed piece of work, timed with the figures, says how
// fast it was at the time. Importing boto3 is what every learner step does first.
{
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
    if (probe.status !== 0) break;
    samples.push(performance.now() - started);
  }
  report['speed-probe-import-boto3'] = samples.length === 5 ? summarize(samples) : 'python3 with boto3 is not available here';
}

for (const backend of ['embedded', 'containers'] as const) {
  if (!want(backend)) continue;
  console.log(`services ready, ${backend} backend (warm-up + ${RUNS} runs)`);
  report[`ready-${backend}`] = await benchBackend(backend);
}
if (want('labs')) {
  const first5 = ['01-dynamodb-local', '02-create-table', '03-seed', '04-scan', '05-list-tables'].map((id) => `labs/week-05/${id}/`);
  console.log('labs 01-05 with the reference solution, embedded backend (services started once)');
  report['labs-01-05-reference'] = timeCommand('labs 01-05', ['vitest', 'run', '--project', 'labs', ...first5], { LAB_BACKEND: 'embedded', LAB_RESULTS_DIR: 'reports/bench' });
  console.log('all labs (01-07, with the admin UI screenshot) with the reference solution, embedded backend');
  report['labs-all-reference'] = timeCommand('labs', ['vitest', 'run', '--project', 'labs'], { LAB_BACKEND: 'embedded', LAB_RESULTS_DIR: 'reports/bench' });
}
if (want('grading')) {
  // Copies of a good learner repository graded with --many and --jobs at its default (the number of cores).
  const { materialize, removeTempDirs, tempDir } = await import('../tests/grader/fixtures.ts');
  const { readResults } = await import('../src/renderers/index.ts');
  const count = Number(process.env.BENCH_REPOS ?? 20);
  const classDir = tempDir('cruddur-bench-class-');
  for (let i = 0; i < count; i++) {
    const repo = materialize('pass/course-final', classDir);
    renameSync(repo, `${repo}-${String(i).padStart(2, '0')}`);
  }
  const outDir = tempDir('cruddur-bench-out-');
  console.log(`grading throughput: --many over ${count} copies of pass/course-final, --jobs default (${os.availableParallelism()})`);
  // The CPU of the whole grading tree (workers, services, labs, learner processes) from a cpuacct cgroup of its
  // own: processes in PID namespaces are not all reaped by their parents, so rusage would miss them.
  let runs = 0;
  const grade = (args: string[]) => {
    runs += 1;
    const group = `/sys/fs/cgroup/cpuacct/cruddur-bench-${process.pid}-${runs}`;
    let measured = false;
    try {
      mkdirSync(group);
      measured = true;
    } catch {
      // no cgroup v1 cpuacct here (or not root): throughput only
    }
    const started = performance.now();
    const enter = measured ? `echo $$ > ${group}/cgroup.procs; ` : '';
    const result = spawnSync('bash', ['-c', `${enter}exec "$@" >/dev/null 2>&1`, 'bash', process.execPath, ...TYPESCRIPT_ARGS, 'scripts/grade.ts', ...args], { encoding: 'utf8' });
    const seconds = (performance.now() - started) / 1000;
    let cpu = NaN;
    if (measured) {
      // What outlives the grader by design (its reaper, which cleans up after it) counts too, and the group can only
      // go once it is empty: up to 10 s for it to empty.
      const deadline = Date.now() + 10_000;
      while (readFileSync(`${group}/cgroup.procs`, 'utf8').trim() !== '' && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      cpu = Number(readFileSync(`${group}/cpuacct.usage`, 'utf8')) / 1e9;
      try {
        rmdirSync(group);
      } catch (error) {
        console.error(`bench: could not remove the cgroup ${group} (${errorMessage(error)}): a process of the grading run is still in it; remove it with rmdir once it has ended`);
      }
    }
    return { status: result.status, seconds, cpu };
  };
  const many = grade(['--many', classDir, '--out', outDir]);
  if (many.status === 0) {
    let learnerCpu = 0;
    for (const name of readdirSync(outDir).filter((n) => n.startsWith('pass--course-final-'))) {
      const results = await readResults(`${outDir}/${name}/results.json`);
      for (const task of results.tests) {
        for (const step of (task.evidence?.steps as StepEvidence[] | undefined) ?? []) learnerCpu += (step.cpuMs ?? 0) / 1000;
      }
    }
    const perRepo = many.cpu / count;
    report[`grading-${count}-repos`] = `${((count / many.seconds) * 60).toFixed(1)} repositories per minute (${Math.round(many.seconds)} s for ${count})`;
    report['grading-cpu-per-repo'] = Number.isNaN(perRepo)
      ? `learner processes ${(learnerCpu / count).toFixed(1)} CPU s per repository; the total was not measured (no cgroup v1 cpuacct here)`
      : `${perRepo.toFixed(1)} CPU s per repository: learner processes ${(learnerCpu / count).toFixed(1)} s, suite ${(perRepo - learnerCpu / count).toFixed(1)} s (services, labs, workers)`;
  } else report[`grading-${count}-repos`] = `failed (exit ${many.status})`;
  const single = Array.from({ length: 3 }, () => grade([`${classDir}/pass--course-final-00`, '--out', tempDir('cruddur-bench-one-'), '--labs', '01-dynamodb-local,02-create-table,03-seed,04-scan,05-list-tables,07-access-patterns']));
  report['grading-one-repo'] = single.every((r) => r.status === 0) ? summarize(single.map((r) => r.seconds * 1000)) : `failed (exit ${single.map((r) => r.status).join(', ')})`;
  removeTempDirs();
}
if (want('watch')) {
  // Watch mode on the reference: services and vitest warm, the seed script saved; from the save to the verdict.
  console.log('watch mode: the reference seed saved, lab 03 verified again (services warm)');
  const child = spawn(process.execPath, [...TYPESCRIPT_ARGS, 'scripts/labs.ts', '--watch', '--labs', '03-seed'], {
    env: { ...process.env, LAB_BACKEND: 'embedded', LAB_RESULTS_DIR: 'reports/bench' },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const verdicts = (): number => stderr.split('verified in').length - 1;
  const until = async (count: number): Promise<void> => {
    const deadline = Date.now() + 120_000;
    while (verdicts() < count) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`watch mode gave no verdict:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  try {
    await until(1);
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const saved = performance.now();
      utimesSync('src/ddb/seed.ts', new Date(), new Date());
      await until(i + 2);
      samples.push(performance.now() - saved);
      console.log(`  save -> verdict ${i + 1}: ${Math.round(samples.at(-1) ?? 0)} ms`);
    }
    report['watch-save-to-verdict'] = summarize(samples);
  } catch (error) {
    report['watch-save-to-verdict'] = `failed: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    child.stdin.write('q');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  }
}
if (want('scan10k')) {
  console.log('a 10,000-item table verified by the scan lab (reference), embedded backend');
  report['scan-10k'] = timeCommand('scan 10k', ['vitest', 'run', '--project', 'labs', 'labs/week-05/04-scan'], { LAB_BACKEND: 'embedded', LAB_SCAN_LARGE_ITEMS: '10000', LAB_SCAN_LARGE_ITEM_BYTES: '1600', LAB_RESULTS_DIR: 'reports/bench' }, 3);
}

console.log('\nresults');
for (const [label, figures] of Object.entries(report)) console.log(`  ${line(label, figures)}`);
await mkdir('reports', { recursive: true });
await writeFile('reports/bench.json', `${JSON.stringify({ machine, date: new Date().toISOString(), report }, null, 2)}\n`);
