import { randomBytes, randomUUID } from 'node:crypto';

/** A run-unique marker per item, so the lab can tell which items a scan printed. */
export function markerToken(): string {
  return randomBytes(5).toString('hex');
}

export function marker(token: string, index: number): string {
  return `scan-marker-${token}-${index}`;
}

/** Indices of the distinct markers of this run found in a text. */
export function markersIn(text: string, token: string): Set<number> {
  const found = new Set<number>();
  for (const match of text.matchAll(new RegExp(`scan-marker-${token}-(\\d+)`, 'g'))) found.add(Number(match[1]));
  return found;
}

const FILLER = 'Babylon 5 was the last, best hope for peace. ';

/** Message items of a synthetic conversation, each carrying one marker and padded to `bytes`. */
export function markerItems(token: string, from: number, count: number, bytes: number): Array<Record<string, string>> {
  const group = randomUUID();
  const start = Date.now() - 2 * 86_400_000;
  return Array.from({ length: count }, (_, k) => {
    const index = from + k;
    const head = `${marker(token, index)} `;
    const message = (head + FILLER.repeat(Math.ceil(bytes / FILLER.length))).slice(0, Math.max(bytes, head.length));
    return {
      pk: `MSG#${group}`,
      sk: new Date(start + index * 1_000).toISOString(),
      message_uuid: randomUUID(),
      message,
      user_uuid: randomUUID(),
      user_display_name: 'Scan Lab',
      user_handle: 'scanlab',
    };
  });
}
