import { captureContext } from '../ddb/script-context.ts';
import { REFERENCE_SCRIPTS } from '../ddb/scripts.ts';
import { FAKE_AWS } from '../config/versions.ts';
import type { StepName, StepRun, StepServices, Submission } from './types.ts';

/** The TypeScript reference solution, run in-process (fast) with the same environment a learner's step gets. */
export function referenceSubmission(): Submission {
  const scripts: Partial<Record<StepName, (typeof REFERENCE_SCRIPTS)[keyof typeof REFERENCE_SCRIPTS]>> = REFERENCE_SCRIPTS;
  return {
    kind: 'reference',
    describe: () => 'the reference solution (src/ddb)',
    has: (step) => scripts[step] !== undefined,
    missingReason: (step) => `the reference solution has no \`${step}\` script`,
    async perform(step: StepName, services: StepServices, args: string[] = [], extraEnv: Record<string, string> = {}): Promise<StepRun> {
      const script = scripts[step];
      if (!script) throw new Error(`the reference solution has no \`${step}\` script`);
      const started = Date.now();
      const env = {
        AWS_ENDPOINT_URL: services.dynamodbEndpoint,
        AWS_ENDPOINT_URL_DYNAMODB: services.dynamodbEndpoint,
        AWS_ACCESS_KEY_ID: FAKE_AWS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: FAKE_AWS.secretAccessKey,
        AWS_REGION: FAKE_AWS.region,
        CONNECTION_URL: services.postgresUrl,
        ...extraEnv,
      };
      const { ctx, stdout, stderr } = captureContext(args, env);
      const exitCode = await script(ctx);
      return {
        step,
        command: ['npm run', `ddb:${step}`, ...(args.length ? ['--', ...args] : [])].join(' '),
        exitCode,
        signal: null,
        timedOut: false,
        outputLimited: false,
        durationMs: Date.now() - started,
        stdout: stdout.map((line) => `${line}\n`).join(''),
        stderr: stderr.map((line) => `${line}\n`).join(''),
      };
    },
  };
}
