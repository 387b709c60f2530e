import type { LabConfig } from '../config/load-config.ts';

export type BackendName = 'containers' | 'embedded' | 'external';

/** Connection facts of DynamoDB Local: all a lab may know about it. */
export interface DynamoDbFacts {
  endpoint: string;
  port: number;
  version: string;
}

/** Connection facts of Postgres: all a lab may know about it. */
export interface PostgresFacts {
  /** URL of the course database (`cruddur`). */
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  version: string;
}

/** What the run records about the services that served it. Serializable: it crosses into test workers. */
export interface ServiceFacts {
  backend: BackendName;
  /** Why the backends tried before this one were passed over. */
  passedOver: Array<{ backend: BackendName; reason: string }>;
  /** True when the suite started these services itself and may reset any data in them. */
  owned: boolean;
  startedInMs: number;
  dynamodb: DynamoDbFacts;
  postgres: PostgresFacts;
}

/** A started service: its facts and a way to dispose of it. */
export interface ServiceHandle<F> {
  facts: F;
  stop(): Promise<void>;
  /** Back to the state it started in, where the backend can do that without a restart. */
  reset?(): Promise<void>;
}

export type StrategyOutcome =
  | { kind: 'started'; dynamodb: ServiceHandle<DynamoDbFacts>; postgres: ServiceHandle<PostgresFacts> }
  | { kind: 'declined'; reason: string };

/**
 * One way of providing the services. `start` declines (does not throw) when the backend does not apply here;
 * it throws only for faults that the user must see even under `auto` (e.g. a requested port in use).
 */
export interface BackendStrategy {
  name: BackendName;
  start(config: LabConfig, log: (line: string) => void): Promise<StrategyOutcome>;
}
