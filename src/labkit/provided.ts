import type { ServiceFacts } from '../services/types.ts';

/** What the labs' global setup hands to the specs (serializable). */
export interface LabProvided {
  labServices: ServiceFacts | null;
  /** Why the services could not be started; every task then reports `error`. */
  labServicesError: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    labServices: LabProvided['labServices'];
    labServicesError: LabProvided['labServicesError'];
  }
}
