import { ConfigError } from '../../errors.ts';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for loopback host names and addresses (127.0.0.0/8, ::1, localhost). */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return LOCAL_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host) || host.endsWith('.localhost');
}

/** Parses a URL and refuses anything that is not on this machine: labs never touch a remote endpoint. */
export function assertLocalUrl(raw: string, variable: string, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not a URL. Example: ${example(protocols)}.`, { cause: error });
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${variable} must use ${protocols.join(' or ')} (got ${url.protocol}). Example: ${example(protocols)}.`);
  }
  if (!isLocalHost(url.hostname)) {
    throw new ConfigError(
      `${variable} points at ${url.hostname}, which is not this machine. The labs only talk to local services ` +
        `(localhost, 127.0.0.1, ::1) so that they can never change a real database. Example: ${example(protocols)}.`,
    );
  }
  return url;
}

function example(protocols: string[]): string {
  return protocols[0]?.startsWith('postgres') ? 'postgresql://postgres:password@localhost:5432/cruddur' : 'http://localhost:8000';
}
