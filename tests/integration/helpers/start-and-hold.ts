// Starts the services, prints their facts as one JSON line, then holds them until killed.
// Used by the no-orphans test to crash or interrupt a run on purpose.
import { loadConfig } from '../../../src/config/load-config.ts';
import { startServices } from '../../../src/services/start-services.ts';

const running = await startServices(loadConfig({ ...process.env, LAB_BACKEND: 'embedded' }));
process.stdout.write(`${JSON.stringify(running.facts)}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void running.stop().then(() => process.exit(130));
  });
}
setInterval(() => {}, 60_000);
