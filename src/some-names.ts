/** `names` as a short list for a message: the first three, then how many more. */
export function someNames(names: readonly string[]): string {
  return `${names.slice(0, 3).join(', ')}${names.length > 3 ? `, and ${names.length - 3} more` : ''}`;
}
