import net from 'node:net';
import { ServiceError } from '../errors.ts';

function tryListen(port: number, host: string): Promise<number | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/** A port that is free right now on this machine. */
export async function freePort(): Promise<number> {
  const result = await tryListen(0, '127.0.0.1');
  if (typeof result === 'number') return result;
  throw new ServiceError(`Could not find a free port on 127.0.0.1: ${result.message}`, { cause: result });
}

/** Resolves the port a service should use: the requested one if it is free, else a clear error. */
export async function claimPort(requested: number | undefined, service: string, variable: string): Promise<number> {
  if (requested === undefined) return freePort();
  for (const host of ['0.0.0.0', '127.0.0.1']) {
    const result = await tryListen(requested, host);
    if (typeof result !== 'number') {
      const why = result.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${result.code ?? result.message})`;
      throw new ServiceError(
        `Port ${requested} for ${service} ${why}. Stop whatever listens there (e.g. \`docker compose down\`, ` +
          `or find it with \`ss -ltnp 'sport = :${requested}'\`), or set ${variable} to another port.`,
        { cause: result },
      );
    }
  }
  return requested;
}
