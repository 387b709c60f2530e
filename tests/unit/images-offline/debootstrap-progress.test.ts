import { describe, expect, it } from 'vitest';
import { debootstrapProgress } from '../../../scripts/images-offline/debootstrap-progress.ts';

function feed(lines: string[], flush = true): string[] {
  const reported: string[] = [];
  const progress = debootstrapProgress((message) => reported.push(message));
  for (const line of lines) progress.onLine(line);
  if (flush) progress.flush();
  return reported;
}

describe('debootstrapProgress', () => {
  it('passes on the phases and counts the packages of each step, downloads once', () => {
    const reported = feed([
      'I: Retrieving InRelease',
      'I: Retrieving libc6 2.36-9+deb12u10',
      'I: Validating libc6 2.36-9+deb12u10',
      'I: Retrieving libstdc++6 12.2.0-14',
      'I: Validating libstdc++6 12.2.0-14',
      'I: Chosen extractor for .deb packages: dpkg-deb',
      'I: Extracting base-files...',
      'I: Extracting bash...',
      'I: Extracting libc6...',
      'dpkg: warning: not a debootstrap line',
      'I: Unpacking required packages...',
      'I: Unpacking libc6:amd64...',
      'I: Configuring required packages...',
      'W: Failure trying to run: chroot "/x" mount -t proc proc /proc',
      'I: Configuring libc6:amd64...',
      'I: Configuring bash...',
      'I: Base system installed successfully.',
    ]);
    expect(reported).toEqual([
      'debootstrap I: Retrieving InRelease',
      '  retrieving 2 packages',
      'debootstrap I: Chosen extractor for .deb packages: dpkg-deb',
      '  extracting 3 packages',
      'debootstrap I: Unpacking required packages...',
      '  unpacking 1 packages',
      'debootstrap I: Configuring required packages...',
      'debootstrap W: Failure trying to run: chroot "/x" mount -t proc proc /proc',
      '  configuring 2 packages',
      'debootstrap I: Base system installed successfully.',
    ]);
  });

  it('reports the last count only on flush()', () => {
    const lines = ['I: Configuring libc6:amd64...', 'I: Configuring bash...'];
    expect(feed(lines, false)).toEqual([]);
    expect(feed(lines)).toEqual(['  configuring 2 packages']);
  });
});
