import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { isFileInside } from '../../../src/submission/inside-file.ts';

/** The names Docker Compose looks for at a project's root, in its order of preference. */
export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;

/** A learner's compose file, read: its services with the line each setting is on. */
export interface ComposeFile {
  /** The file as the repository names it, e.g. `docker-compose.yml`. */
  name: string;
  services: ComposeService[];
}

export interface ComposeService {
  name: string;
  line: number;
  /** The image after `${VAR:-default}` interpolation with the defaults; undefined when built from a Dockerfile. */
  image?: string;
  /** The command as words (a string is split on blanks, as Compose does for the exec form). */
  command: string[];
  commandLine?: number;
  environment: Record<string, string>;
  environmentLine?: number;
  ports: Array<{ host?: number; container: number; line: number }>;
  portsLine?: number;
  volumes: string[];
  /** `working_dir`: where a relative `-dbPath ./data` lands in the container. */
  workingDir?: string;
}

/** Why a compose file could not be read: missing, or not YAML a Compose file can be. */
export type ComposeProblem = { kind: 'missing' } | { kind: 'invalid'; name: string; message: string };

/** `${VAR:-default}`, `${VAR-default}` and `${VAR}` as Compose reads them with no variables set. */
export function interpolate(text: string): string {
  return text.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? '').replace(/\$\$/g, '$');
}

function scalarText(node: unknown): string | undefined {
  if (isScalar(node) && node.value !== null && node.value !== undefined) return interpolate(String(node.value));
  return undefined;
}

/** Compose's short port syntax: `8000`, `"8000:8000"`, `"127.0.0.1:8000:8000"`, `"8000:8000/tcp"`. */
export function parsePort(text: string): { host?: number; container: number } | undefined {
  const parts = text.replace(/\/(tcp|udp)$/, '').split(':');
  const container = Number(parts.at(-1));
  if (!Number.isInteger(container)) return undefined;
  if (parts.length === 1) return { container };
  const host = Number(parts.at(-2));
  return Number.isInteger(host) ? { host, container } : { container };
}

/** Reads and parses the repository's compose file (the first of COMPOSE_FILES at its root). */
export function readComposeFile(root: string): ComposeFile | ComposeProblem {
  const name = COMPOSE_FILES.find((n) => isFileInside(root, path.join(root, n)));
  if (!name) return { kind: 'missing' };
  const text = readFileSync(path.join(root, name), 'utf8');
  return parseCompose(name, text);
}

/** Parses compose text; a YAML error or a file without `services` is a problem with its line. */
export function parseCompose(name: string, text: string): ComposeFile | ComposeProblem {
  const lines = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  const lineOf = (node: unknown): number => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? lines.linePos(range[0]).line : 0;
  };
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = error?.linePos?.[0]?.line;
    return { kind: 'invalid', name, message: `${name}${line ? `:${line}` : ''} is not valid YAML: ${(error?.message.split('\n')[0] ?? 'parse error').replace(/ at line \d+, column \d+:?$/, '')}` };
  }
  const root = doc.contents;
  const services = isMap(root) ? root.get('services', true) : undefined;
  if (!isMap(services)) {
    return { kind: 'invalid', name, message: `${name} has no \`services:\` section, so Compose starts nothing from it` };
  }
  const parsed: ComposeService[] = [];
  for (const pair of services.items) {
    const serviceName = scalarText(pair.key) ?? '';
    const body = pair.value;
    const service: ComposeService = { name: serviceName, line: lineOf(pair.key), command: [], environment: {}, ports: [], volumes: [] };
    if (isMap(body)) {
      service.image = scalarText(body.get('image', true));
      const command = body.get('command', true);
      if (isSeq(command)) service.command = command.items.map((item) => scalarText(item) ?? '');
      else if (scalarText(command) !== undefined) service.command = (scalarText(command) ?? '').split(/\s+/).filter(Boolean);
      if (command) service.commandLine = lineOf(command);
      const environment = body.get('environment', true);
      if (environment) service.environmentLine = lineOf(environment);
      if (isMap(environment)) {
        for (const entry of environment.items) service.environment[scalarText(entry.key) ?? ''] = scalarText(entry.value) ?? '';
      } else if (isSeq(environment)) {
        for (const item of environment.items) {
          const [key, ...value] = (scalarText(item) ?? '').split('=');
          if (key) service.environment[key] = value.join('=');
        }
      }
      const ports = body.get('ports', true);
      if (ports) service.portsLine = lineOf(ports);
      if (isSeq(ports)) {
        for (const item of ports.items) {
          if (isMap(item)) {
            const container = Number(scalarText(item.get('target', true)));
            const published = Number(scalarText(item.get('published', true)));
            if (Number.isInteger(container)) service.ports.push({ container, ...(Number.isInteger(published) ? { host: published } : {}), line: lineOf(item) });
          } else {
            const port = parsePort(scalarText(item) ?? '');
            if (port) service.ports.push({ ...port, line: lineOf(item) });
          }
        }
      }
      service.workingDir = scalarText(body.get('working_dir', true));
      const volumes = body.get('volumes', true);
      if (isSeq(volumes)) service.volumes = volumes.items.map((item) => scalarText(item) ?? (isMap(item) ? (scalarText(item.get('target', true)) ?? '') : ''));
    }
    parsed.push(service);
  }
  return { name, services: parsed };
}

/** Where a volume (`./docker/dynamodb:/home/dynamodblocal/data:rw`, `/data`, or a long syntax's target) is mounted in the container. */
export function volumeTarget(volume: string): string | undefined {
  const parts = volume.split(':');
  const target = parts.length === 1 ? parts[0] : parts[1];
  return target?.startsWith('/') ? target : undefined;
}

export const isDynamoDbLocal = (service: ComposeService): boolean => /(^|\/)amazon\/dynamodb-local(:|@|$)/.test(service.image ?? '');
export const isPostgres = (service: ComposeService): boolean => /(^|\/)postgres(:|@|$)/.test(service.image ?? '');

/** What is wrong with how the file runs DynamoDB Local on port 8000; empty when nothing. */
export function dynamoDbPortProblems(file: ComposeFile): string[] {
  const service = file.services.find(isDynamoDbLocal);
  if (!service) {
    const names = file.services.map((s) => `\`${s.name}\``).join(', ') || 'none';
    return [`${file.name} has no service running the \`amazon/dynamodb-local\` image (services: ${names}); add one, as the course's \`dynamodb-local\` service`];
  }
  const published = service.ports.find((p) => p.container === 8000);
  if (!published) {
    return [`${file.name}:${service.portsLine ?? service.line}: service \`${service.name}\` does not publish DynamoDB Local's port 8000; add \`ports: ["8000:8000"]\``];
  }
  if (published.host !== 8000) {
    const host = published.host === undefined ? 'a random host port' : `host port ${published.host}`;
    return [`${file.name}:${published.line}: service \`${service.name}\` publishes port 8000 on ${host}, but the course's scripts call http://localhost:8000; publish it as "8000:8000"`];
  }
  return [];
}

/** What is wrong with the DynamoDB Local command: `-sharedDb`, and `-inMemory` or a data volume. */
export function sharedDbProblems(file: ComposeFile): string[] {
  const service = file.services.find(isDynamoDbLocal);
  if (!service) return [`${file.name} has no service running the \`amazon/dynamodb-local\` image, so nothing runs with -sharedDb`];
  const where = `${file.name}:${service.commandLine ?? service.line}`;
  const problems: string[] = [];
  if (!service.command.includes('-sharedDb')) {
    problems.push(
      `${where}: the command of \`${service.name}\` ${service.command.length ? `(\`${service.command.join(' ')}\`) ` : ''}has no \`-sharedDb\`: ` +
        'every access key and region then sees its own tables; use `command: "-jar DynamoDBLocal.jar -sharedDb -inMemory"`',
    );
  }
  const inMemory = service.command.includes('-inMemory');
  const dbPath = service.command.includes('-dbPath');
  if (!inMemory && !(dbPath && service.volumes.length > 0)) {
    problems.push(`${where}: \`${service.name}\` keeps its data neither in memory (\`-inMemory\`) nor in a volume (\`-dbPath\` with \`volumes:\`)`);
  }
  return problems;
}

/** How the repository's scripts reach Postgres. */
export interface ExpectedPostgres {
  user: string;
  password: string;
  port: number;
  /** Where that comes from: a file of the repository, or the course's URL. */
  source: string;
}

/** The user, password and port the repository's scripts reach Postgres with: its CONNECTION_URL, else the course's. */
export function expectedPostgres(root: string, file: ComposeFile): ExpectedPostgres {
  const sources = [...file.services.map((s) => ({ text: Object.entries(s.environment).map(([k, v]) => `${k}=${v}`).join('\n'), source: `${file.name} (service \`${s.name}\`)` }))];
  for (const name of ['.env.example', '.gitpod.yml', '.env']) {
    const full = path.join(root, name);
    if (isFileInside(root, full)) sources.push({ text: readFileSync(full, 'utf8'), source: name });
  }
  for (const { text, source } of sources) {
    for (const match of text.matchAll(/\b(?:LOCAL_)?CONNECTION_URL\b\s*[=:]\s*['"]?(postgres(?:ql)?:\/\/[^\s'"]+)/g)) {
      try {
        const url = new URL(match[1] ?? '');
        if (url.hostname.includes('prod') || /amazonaws\.com$/.test(url.hostname)) continue;
        return { user: decodeURIComponent(url.username) || 'postgres', password: decodeURIComponent(url.password), port: Number(url.port || 5432), source };
      } catch {
        // not a URL after interpolation: look further
      }
    }
  }
  return { user: 'postgres', password: 'password', port: 5432, source: "the course's CONNECTION_URL" };
}

/**
 * What is wrong with the Postgres service against the user, password and port the scripts use. The database is
 * not checked: the course made `cruddur` with `createdb`, not with POSTGRES_DB.
 */
export function postgresProblems(file: ComposeFile, expected: ExpectedPostgres): string[] {
  const service = file.services.find(isPostgres);
  if (!service) return [`${file.name} has no service running the \`postgres\` image; add the course's \`db\` service`];
  const problems: string[] = [];
  const password = service.environment.POSTGRES_PASSWORD;
  const where = `${file.name}:${service.environmentLine ?? service.line}`;
  if (password === undefined) problems.push(`${where}: service \`${service.name}\` sets no POSTGRES_PASSWORD (the image will not start without one)`);
  else if (password !== expected.password) problems.push(`${where}: service \`${service.name}\` sets POSTGRES_PASSWORD to another password than the one in ${expected.source}`);
  // The image's superuser is POSTGRES_USER, `postgres` when it is not set.
  const user = service.environment.POSTGRES_USER || 'postgres';
  if (user !== expected.user) problems.push(`${where}: service \`${service.name}\` makes the user \`${user}\`, but ${expected.source} connects as \`${expected.user}\``);
  const published = service.ports.find((p) => p.container === 5432);
  if (!published || published.host !== expected.port) {
    problems.push(
      `${file.name}:${published?.line ?? service.portsLine ?? service.line}: service \`${service.name}\` does not publish Postgres on host port ${expected.port} ` +
        `(${expected.source} uses it); add \`ports: ["${expected.port}:5432"]\``,
    );
  }
  return problems;
}
