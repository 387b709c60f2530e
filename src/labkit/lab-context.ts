import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { loadConfig, type LabConfig } from '../config/load-config.ts';
import { localDynamoClient } from '../services/dynamo-client.ts';
import { LearnerFailure, ServiceError } from '../errors.ts';
import { servicesProblem } from '../services/probes.ts';
import { endOtherSessions, type UserRow } from '../course/users.ts';
import { prepareUsers } from '../course/prepare-users.ts';
import { trace, traced } from '../trace.ts';
import type { ServiceFacts } from '../services/types.ts';
import { createSubmission } from '../submission/create-submission.ts';
import { referenceSubmission } from '../submission/reference.ts';
import type { StepName, StepRun, StepServices, Submission } from '../submission/types.ts';
import type { LabDefinition } from './define-lab.ts';
import './provided.ts';
import { resetDynamoDb } from './reset.ts';

/** Everything a lab's tasks use: services, the learner's submission, the reference for preconditions. */
export interface LabContext {
  lab: LabDefinition;
  config: LabConfig;
  services: ServiceFacts;
  stepServices: StepServices;
  ddb: DynamoDBClient;
  submission: Submission;
  reference: Submission;
  /** Postgres users as the lab seeded them (fresh uuids every run). */
  users: UserRow[];
  /** Problems met while loading the learner's own schema.sql/seed.sql. */
  postgresNotes: string[];
  /** Runs a learner step; a missing step fails the task with the path that was expected. */
  perform(step: StepName, args?: string[]): Promise<StepRun>;
  /** Runs an async action once per lab and shares its result (or failure) with every task. */
  once<T>(key: string, action: () => Promise<T>): Promise<T>;
}

export interface LabOptions {
  /** Empty DynamoDB and fresh Postgres users before the lab (every lab but 01). */
  reset?: boolean;
}

/**
 * LAB_FAULT, for the suite's own tests: the lab fails to prepare as it would if a service broke. `once` leaves a
 * marker in the results folder, so that the grader's second try of the lab (a new test run) passes and removes it.
 */
function injectedFault(config: LabConfig, labId: string): void {
  const fault = config.fault;
  if (!fault || fault.lab !== labId) return;
  const marker = path.join(config.resultsDir, `.fault-${labId}`);
  if (fault.times === 'once') {
    if (existsSync(marker)) {
      rmSync(marker, { force: true });
      return;
    }
    mkdirSync(config.resultsDir, { recursive: true });
    writeFileSync(marker, '');
  }
  throw new ServiceError(`A service failed while this lab was being prepared (injected by LAB_FAULT=${fault.lab}:${fault.times}).`);
}

/**
 * Prepares a lab: one clean state, the submission from the configuration. Returns an accessor that
 * tasks await; a preparation failure becomes each task's `error` (or `fail` when it is the learner's).
 */
export function useLab(lab: LabDefinition, options: LabOptions = {}): () => Promise<LabContext> {
  let ready: Promise<LabContext> | undefined;
  let client: DynamoDBClient | undefined;

  const prepare = async (): Promise<LabContext> => {
    trace('lab', `${lab.id}: prepare`);
    const services = inject('labServices');
    if (!services) {
      throw new ServiceError(`The services did not start, so this task could not be verified: ${inject('labServicesError') ?? 'unknown reason'}`);
    }
    const config = loadConfig();
    injectedFault(config, lab.id);
    const submission = createSubmission(config);
    const stepServices: StepServices = { dynamodbEndpoint: services.dynamodb.endpoint, postgresUrl: services.postgres.url };
    // Its first step's interpreter starts while the services are reset.
    submission.warmUp?.(stepServices);
    const ddb = localDynamoClient(services.dynamodb.endpoint);
    client = ddb;
    let users: UserRow[] = [];
    let postgresNotes: string[] = [];
    if (options.reset) {
      const emptied = traced('lab', `${lab.id}: DynamoDB reset`, () => resetDynamoDb(ddb, services));
      if (!services.owned) {
        await emptied;
        throw new ServiceError('The labs reseed the Postgres users with fresh uuids and will not do that to a database they did not create; set LAB_ALLOW_RESET=true.');
      }
      // The two services are reset side by side; a lab goes on only once both are done, whichever failed.
      const [dynamo, postgres] = await Promise.allSettled([emptied, traced('lab', `${lab.id}: Postgres users prepared`, () => prepareUsers(services.postgres.url, submission.database))]);
      if (dynamo.status === 'rejected') throw dynamo.reason;
      if (postgres.status === 'rejected') throw postgres.reason;
      ({ users, notes: postgresNotes } = postgres.value);
    }
    trace('lab', `${lab.id}: prepared`);
    const memo = new Map<string, Promise<unknown>>();
    return {
      lab,
      config,
      services,
      stepServices,
      ddb,
      submission,
      reference: referenceSubmission(),
      users,
      postgresNotes,
      async perform(step, args) {
        if (!submission.has(step)) throw new LearnerFailure(`${submission.missingReason(step)}. See ${lab.readme}.`);
        const run = await traced('lab', `${lab.id}: ${step}`, () => submission.perform(step, stepServices, args));
        if (run.spawnError) throw new ServiceError(`\`${run.command}\` could not be run, so this task could not be verified: ${run.spawnError}`);
        if (submission.kind !== 'reference') {
          // A learner's step must leave the services as it found them: one that stops or locks them fails here,
          // with what it did, instead of every later task erroring. On the probe's own session, what the step left
          // connected to Postgres is ended.
          const broken = await servicesProblem(services, undefined, endOtherSessions);
          if (broken) {
            throw new LearnerFailure(
              `After \`${run.command}\` ran, ${broken}. The step broke a service the labs need (stopped it, flooded it, or changed its password); ` +
                `a script of this week only reads and writes items and users. See ${lab.readme}.`,
            );
          }
        }
        return run;
      },
      once<T>(key: string, action: () => Promise<T>): Promise<T> {
        if (!memo.has(key)) memo.set(key, action());
        return memo.get(key) as Promise<T>;
      },
    };
  };

  beforeAll(() => {
    ready = prepare();
    // Tasks observe the failure; keep it from surfacing as an unhandled rejection of the hook.
    ready.catch(() => {});
  });
  afterAll(async () => {
    client?.destroy();
    (await ready?.catch(() => undefined))?.submission.dispose?.();
  });
  return () => {
    if (!ready) ready = prepare();
    return ready;
  };
}
