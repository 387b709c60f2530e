/**
 * debootstrap prints one line per package and step; this passes on its phases and a count per step instead.
 * `report` receives each line to show; call `flush()` at the end for the last count.
 */
export function debootstrapProgress(report: (message: string) => void): { onLine: (line: string) => void; flush: () => void } {
  let verb: string | undefined;
  let count = 0;
  const flush = (): void => {
    if (verb && count > 0) report(`  ${verb.toLowerCase()} ${count} packages`);
    verb = undefined;
    count = 0;
  };
  return {
    flush,
    onLine(line) {
      // "I: Retrieving libc6 2.36-9", "I: Configuring libc6:amd64..."; phases read "I: Unpacking the base system...".
      const perPackage = /^I: (Retrieving|Validating|Extracting|Unpacking|Configuring) [a-z0-9][a-z0-9+.:-]*(\.\.\.| \S+)$/.exec(line);
      if (perPackage && !/(packages|system)\.\.\.$/.test(line)) {
        // Each download is "Retrieving" then "Validating": count the downloads only.
        if (perPackage[1] === 'Validating') return;
        if (perPackage[1] !== verb) flush();
        verb = perPackage[1];
        count++;
        return;
      }
      if (/^[IWE]: /.test(line)) {
        flush();
        report(`debootstrap ${line}`);
      }
    },
  };
}
