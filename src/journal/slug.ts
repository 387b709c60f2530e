/**
 * Heading anchors as GitHub makes them (lower case, punctuation dropped, spaces to hyphens, `-1`, `-2` for
 * repeats), so a `#anchor` link in the journal works on GitHub and in the HTML page, which uses the same ids.
 */
export class Slugger {
  private readonly occurrences = new Map<string, number>();

  slug(text: string): string {
    const base = text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    let result = base;
    const seen = this.occurrences.get(base);
    if (seen !== undefined) {
      let count = seen;
      do {
        count += 1;
        result = `${base}-${count}`;
      } while (this.occurrences.has(result));
      this.occurrences.set(base, count);
    }
    this.occurrences.set(result, 0);
    return result;
  }
}
