/** A build step failed for a reason the message states (and what to do about it); printed without a stack. */
export class BuildError extends Error {}
