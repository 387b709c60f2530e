// ANSI escape sequences (colours, cursor moves) from learners' terminals: meaningless outside a terminal,
// and ESC itself is not allowed in XML 1.0.
// eslint-disable-next-line no-control-regex -- matching the ESC control character is the point
const ANSI_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-_])/g;

/** Removes ANSI escape sequences and normalizes line endings to `\n`. */
export function toPlainText(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(/\r\n?/g, '\n');
}

/** Shortens `text` to at most `max` characters, saying how much was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = `\n[... ${text.length - max} more characters cut; see reports/results.json for the full output]`;
  return text.slice(0, Math.max(0, max - note.length)) + note;
}
