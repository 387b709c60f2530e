/** Keeps the head and the tail of a long text, saying how much was left out. */
export function trimOutput(text: string, max = 4_000): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  const omitted = text.length - 2 * half;
  return `${text.slice(0, half)}\n… [${omitted} characters left out] …\n${text.slice(-half)}`;
}

/** The last non-empty lines of a text, e.g. a Python traceback's final line. */
export function lastLines(text: string, count = 3): string {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n');
}
