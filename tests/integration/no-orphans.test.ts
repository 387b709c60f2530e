import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ServiceFacts } from '../../src/services/types.ts';
import { findExecutable } from '../../src/executables.ts';
import { TYPESCRIPT_ARGS } from '../../src/runner/node-args.ts';
import { sharedMemory, stillThere } from './helpers/shared-memory.ts';

const HOLD = new URL('./helpers/start-and-hold.ts', import.meta.url).pathname;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits (a readiness-style poll, bounded) until nothing listens on the ports any more. */
async function untilClosed(ports: number[], timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await Promise.all(ports.map(listening));
    if (!open.includes(true)) return true;
    await delay(100);
  }
  return false;
}

/** Embedded Postgres keeps its data in memory (/dev/shm) where it can, else in the temporary folder. */
function pgDataDirs(): string[] {
  return [os.tmpdir(), '/dev/shm'].flatMap((parent) => {
    try {
      return readdirSync(parent).filter((name) => name.startsWith('cruddur-labs-pg-')).map((name) => path.join(parent, name));
    } catch {
      return [];
    }
  });
}

/** The data directory of the Postgres listening on `port` (line 4 of postmaster.pid is its port). */
function dataDirOf(port: number): string | undefined {
  return pgDataDirs().find((dir) => {
    try {
      return readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[3]?.trim() === String(port);
    } catch {
      return false;
    }
  });
}

async function startHeld(): Promise<{ child: ReturnType<typeof spawn>; facts: ServiceFacts }> {
  const child = spawn(process.execPath, [...TYPESCRIPT_ARGS, HOLD], { stdio: ['ignore', 'pipe', 'inherit'] });
  const facts = await new Promise<ServiceFacts>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as ServiceFacts);
    });
    child.once('exit', (code) => reject(new Error(`the holder exited early with code ${code}`)));
  });
  return { child, facts };
}

describe('no orphaned processes', () => {
  for (const signal of ['SIGKILL', 'SIGINT'] as const) {
    it(`ends DynamoDB Local and Postgres and removes their data when the run gets ${signal}`, async () => {
      const { child, facts } = await startHeld();
      try {
        const ports = [facts.dynamodb.port, facts.postgres.port];
        expect(await Promise.all(ports.map(listening))).toEqual([true, true]);
        // Other tests may run their own Postgres meanwhile: find ours by its port.
        const ours = dataDirOf(facts.postgres.port);
        expect(ours).toBeDefined();
        const newDirs = [ours as string];
        // Postgres's System V segment (its interlock), which a server killed outright would leave on the machine.
        const postmaster = Number(readFileSync(path.join(ours as string, 'postmaster.pid'), 'utf8').split('\n')[0]);
        const segments = findExecutable('ipcs') ? sharedMemory().filter((segment) => segment.creator === postmaster) : [];
        if (findExecutable('ipcs')) expect(segments.length).toBeGreaterThan(0);
        child.kill(signal);
        expect(await untilClosed(ports)).toBe(true);
        // The data directory goes with the server (removed by stop() or by the reaper).
        const deadline = Date.now() + 10_000;
        while (pgDataDirs().some((d) => newDirs.includes(d)) && Date.now() < deadline) await delay(100);
        expect(pgDataDirs().filter((d) => newDirs.includes(d))).toEqual([]);
        expect(stillThere(segments)).toEqual([]);
      } finally {
        // Whatever happened above, the holder (and so its services) must not outlive the test.
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }, 60_000);
  }
});
