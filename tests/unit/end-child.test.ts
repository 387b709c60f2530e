import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { endChild } from '../../src/end-child.ts';

/** A node process that prints `ready` once it listens for signals; `ignoreTerm` makes it shrug off SIGTERM. */
async function child(ignoreTerm: boolean) {
  const program = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} setInterval(() => {}, 1000); console.log('ready');`;
  const started = spawn(process.execPath, ['-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(started.stdout, 'data');
  return started;
}

describe('endChild', () => {
  it('ends a child with the signal given, and resolves once it has exited', async () => {
    const running = await child(false);
    await endChild(running, 'SIGTERM', 10_000);
    expect(running.signalCode).toBe('SIGTERM');
  });

  it('kills a child that outlives the grace period', async () => {
    const running = await child(true);
    const started = Date.now();
    await endChild(running, 'SIGTERM', 300);
    expect(running.signalCode).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('leaves a child that has exited as it is', async () => {
    const running = await child(false);
    running.kill('SIGINT');
    await once(running, 'exit');
    await endChild(running, 'SIGTERM', 10_000);
    expect(running.signalCode).toBe('SIGINT');
  });
});
