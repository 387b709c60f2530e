const REGISTER = new URL('./register-typescript.mjs', import.meta.url).href;

/** Node's arguments that run the suite's TypeScript (typescript-hooks.mjs for its own files; the rest as Node loads it). */
export const TYPESCRIPT_ARGS: readonly string[] = ['--import', REGISTER];

/** Registers those hooks in this process; a process started with TYPESCRIPT_ARGS has them, and nothing happens. */
export async function registerTypeScript(): Promise<void> {
  await import(REGISTER);
}
