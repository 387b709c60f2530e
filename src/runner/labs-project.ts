/** The vitest project of the lab specs (vitest.config.ts), which LabRunner runs. */
export const LABS_PROJECT = 'labs';
