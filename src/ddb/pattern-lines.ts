import type { PlainItem, PlainValue } from './attribute-values.ts';

/** `2026-11-24 09:05` (UTC) for an ISO-8601 sort key; anything unparseable is shown as stored. */
export function displayTime(sk: PlainValue | undefined): string {
  const text = typeof sk === 'string' ? sk : JSON.stringify(sk ?? null);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return text;
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function text(value: PlainValue | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/** One message of a conversation: sender handle, time (UTC) and the whole text. */
export function messageLine(item: PlainItem): string {
  return `${text(item.user_handle).padEnd(12)} ${displayTime(item.sk)}  ${text(item.message)}`;
}

/** One message group of a user's inbox: last message time, group uuid, the other participant and the last text. */
export function groupLine(item: PlainItem): string {
  return `${displayTime(item.sk)}  ${text(item.message_group_uuid)}  ${text(item.user_handle)} (${text(item.user_display_name)}): ${text(item.message)}`;
}
