import type { DynamoDbFacts, PostgresFacts, ServiceHandle, StrategyOutcome } from './types.ts';

/** Starts both services in parallel; if one fails, the other is stopped and the first failure thrown. */
export async function startBoth(
  dynamodb: () => Promise<ServiceHandle<DynamoDbFacts>>,
  postgres: () => Promise<ServiceHandle<PostgresFacts>>,
): Promise<StrategyOutcome> {
  const [d, p] = await Promise.allSettled([dynamodb(), postgres()]);
  if (d.status === 'fulfilled' && p.status === 'fulfilled') {
    return { kind: 'started', dynamodb: d.value, postgres: p.value };
  }
  if (d.status === 'fulfilled') await d.value.stop();
  if (p.status === 'fulfilled') await p.value.stop();
  throw d.status === 'rejected' ? d.reason : (p as PromiseRejectedResult).reason;
}
