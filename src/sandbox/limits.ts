/** Resource limits of one learner process tree (`LAB_LIMIT_*`). */
export interface SandboxLimits {
  /** Processes (and threads) the sandbox user may have at once: RLIMIT_NPROC. */
  processes: number;
  /** Address space of each process, in MiB: RLIMIT_AS. */
  memoryMb: number;
  /** Largest file a process may write, in MiB: RLIMIT_FSIZE. */
  fileSizeMb: number;
  /** CPU seconds of each process: RLIMIT_CPU. */
  cpuSeconds: number;
}

/** What an outcome needs to say whether a limit stopped it. */
export interface LimitedOutcome {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

const MIB = 1024 * 1024;

/** `prlimit` options that set soft and hard limits alike, so the learner's code cannot raise them again. */
export function prlimitArgs(limits: SandboxLimits): string[] {
  return [
    `--nproc=${limits.processes}`,
    `--as=${limits.memoryMb * MIB}`,
    `--fsize=${limits.fileSizeMb * MIB}`,
    // A soft CPU limit below the hard one: SIGXCPU (named in the message) comes before SIGKILL.
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 5}`,
    '--core=0',
  ];
}

// A shell reports a child killed by signal N as exit status 128 + N; so does bubblewrap for its command.
const SIGXCPU_EXIT = 128 + 24;
const SIGXFSZ_EXIT = 128 + 25;
const NO_PROCESS = /fork: (retry: )?Resource temporarily unavailable|Cannot fork|can't fork|BlockingIOError: \[Errno 11\]|Resource temporarily unavailable|pthread_create failed|can't start new thread/i;
const NO_MEMORY = /MemoryError|Cannot allocate memory|out of memory|std::bad_alloc|\[Errno 12\]/i;

/**
 * Which limit stopped a learner process, as a sentence naming the limit and its setting and what to do;
 * undefined when no limit explains the outcome.
 */
export function limitProblem(outcome: LimitedOutcome, limits: SandboxLimits): string | undefined {
  const text = `${outcome.stderr}\n${outcome.stdout}`;
  const setting = (name: string, value: string): string => `(${name}, LAB_LIMIT_${value})`;
  if (outcome.signal === 'SIGXCPU' || outcome.exitCode === SIGXCPU_EXIT || /CPU time limit exceeded/.test(text)) {
    return `it used more than ${limits.cpuSeconds} s of CPU time ${setting('the CPU time limit', `CPU_SECONDS=${limits.cpuSeconds}`)} and was stopped. Look for an endless loop.`;
  }
  if (outcome.signal === 'SIGXFSZ' || outcome.exitCode === SIGXFSZ_EXIT || /File size limit exceeded/.test(text)) {
    return `it wrote a file larger than ${limits.fileSizeMb} MiB ${setting('the file size limit', `FILE_SIZE_MB=${limits.fileSizeMb}`)} and was stopped. A script of this week writes no large files.`;
  }
  if (outcome.exitCode !== 0 && NO_PROCESS.test(text)) {
    return `it tried to run more than ${limits.processes} processes at once ${setting('the process limit', `PROCESSES=${limits.processes}`)} and could not start more. Do not start processes in a loop or in the background.`;
  }
  if (outcome.exitCode !== 0 && NO_MEMORY.test(text)) {
    return `it ran out of memory: each process may use ${limits.memoryMb} MiB ${setting('the memory limit', `MEMORY_MB=${limits.memoryMb}`)}. Do not hold the whole table or endless data in memory.`;
  }
  return undefined;
}
