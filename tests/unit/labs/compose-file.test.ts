import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  dynamoDbPortProblems,
  expectedPostgres,
  interpolate,
  parseCompose,
  parsePort,
  postgresProblems,
  readComposeFile,
  sharedDbProblems,
  volumeTarget,
  type ComposeFile,
} from '../../../labs/week-05/01-dynamodb-local/compose-file.ts';
import { commandPort } from '../../../labs/week-05/01-dynamodb-local/learner-dynamodb.ts';
import { isolatedRunArgs } from '../../../src/labkit/isolated-container.ts';

const COURSE = `services:
  dynamodb-local:
    user: root
    command: "-jar DynamoDBLocal.jar -sharedDb -dbPath ./data"
    image: "amazon/dynamodb-local:latest"
    ports:
      - "8000:8000"
    volumes:
      - "./docker/dynamodb:/home/dynamodblocal/data"
  db:
    image: postgres:13-alpine
    environment:
      - POSTGRES_USER=postgres
      - POSTGRES_PASSWORD=password
    ports:
      - '5432:5432'
`;

function parsed(text: string): ComposeFile {
  const file = parseCompose('docker-compose.yml', text);
  if ('kind' in file) throw new Error(`expected a compose file, got ${JSON.stringify(file)}`);
  return file;
}
const course = { user: 'postgres', password: 'password', port: 5432, source: "the course's CONNECTION_URL" };

describe('reading a compose file', () => {
  it("finds the course's services with their settings and lines", () => {
    const file = parsed(COURSE);
    expect(file.services.map((s) => s.name)).toEqual(['dynamodb-local', 'db']);
    expect(file.services[0]).toMatchObject({ image: 'amazon/dynamodb-local:latest', command: ['-jar', 'DynamoDBLocal.jar', '-sharedDb', '-dbPath', './data'], commandLine: 4 });
    expect(file.services[0]?.ports).toEqual([{ host: 8000, container: 8000, line: 7 }]);
    expect(file.services[1]?.environment).toEqual({ POSTGRES_USER: 'postgres', POSTGRES_PASSWORD: 'password' });
    expect([dynamoDbPortProblems(file), sharedDbProblems(file), postgresProblems(file, course)]).toEqual([[], [], []]);
  });

  it('reads the long port syntax, exec-form commands and interpolated images', () => {
    const file = parsed(
      'services:\n  ddb:\n    image: ${DDB_IMAGE:-amazon/dynamodb-local:2.5.2}\n    command: ["-jar", "DynamoDBLocal.jar", "-sharedDb", "-inMemory"]\n    ports:\n      - target: 8000\n        published: 8000\n',
    );
    expect(file.services[0]?.image).toBe('amazon/dynamodb-local:2.5.2');
    expect(dynamoDbPortProblems(file)).toEqual([]);
    expect(sharedDbProblems(file)).toEqual([]);
  });

  it('says where the YAML breaks, and that a file without services starts nothing', () => {
    expect(parseCompose('compose.yaml', 'services:\n  a:\n    ports:\n     - "1:1"\n       - "2:2"\n')).toEqual({
      kind: 'invalid',
      name: 'compose.yaml',
      message: expect.stringMatching(/^compose\.yaml:5 is not valid YAML: /),
    });
    expect(parseCompose('compose.yaml', 'version: "3"\n')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('no `services:`') });
  });

  it('parses the short port forms', () => {
    expect(parsePort('8000')).toEqual({ container: 8000 });
    expect(parsePort('127.0.0.1:8000:8000')).toEqual({ host: 8000, container: 8000 });
    expect(parsePort('8001:8000/tcp')).toEqual({ host: 8001, container: 8000 });
    expect(interpolate('${A:-x}/${B-y}/${C}')).toBe('x/y/');
  });
});

describe("running the learner's DynamoDB Local service", () => {
  it('mounts an empty tmpfs where the file mounts a volume, in its working directory', () => {
    const file = parsed(COURSE.replace('    user: root\n', '    user: root\n    working_dir: /home/dynamodblocal\n'));
    const service = file.services[0];
    expect(service?.workingDir).toBe('/home/dynamodblocal');
    expect(service?.volumes.map(volumeTarget)).toEqual(['/home/dynamodblocal/data']);
    expect(['/data', 'db:/var/lib/postgresql/data:ro', 'relative/path', './a:b'].map(volumeTarget)).toEqual(['/data', '/var/lib/postgresql/data', undefined, undefined]);
  });

  it('finds a -port that moves DynamoDB Local off 8000', () => {
    expect(commandPort(['-jar', 'DynamoDBLocal.jar', '-sharedDb', '-port', '8001'])).toBe(8001);
    expect(commandPort(['-jar', 'DynamoDBLocal.jar', '-sharedDb'])).toBeUndefined();
    expect(commandPort(['-port'])).toBeUndefined();
  });

  it('runs it with no network, no host files and bounded resources, never pulling an image', () => {
    const args = isolatedRunArgs({ image: 'amazon/dynamodb-local:latest', command: ['-jar', 'DynamoDBLocal.jar', '-sharedDb'], workingDir: '/home/dynamodblocal', tmpfs: ['/home/dynamodblocal/data'], memoryMb: 1024, processes: 512 }, '42');
    const joined = args.join(' ');
    for (const part of ['--pull never', '--network none', '--memory 1024m', '--pids-limit 512', '--cpus 1', '--tmpfs /home/dynamodblocal/data', '--workdir /home/dynamodblocal', 'io.cruddur-labs.owner=42']) expect(joined).toContain(part);
    expect(args.slice(-4)).toEqual(['amazon/dynamodb-local:latest', '-jar', 'DynamoDBLocal.jar', '-sharedDb']);
    expect(args).not.toContain('--volume');
    expect(args).not.toContain('--privileged');
  });
});

describe('what lab 01 checks', () => {
  it('names a wrong host port, a missing port and a missing service', () => {
    expect(dynamoDbPortProblems(parsed(COURSE.replace('"8000:8000"', '"8001:8000"')))).toEqual([expect.stringMatching(/^docker-compose\.yml:7: .*host port 8001/)]);
    expect(dynamoDbPortProblems(parsed(COURSE.replace('"8000:8000"', '"8000"')))).toEqual([expect.stringContaining('random host port')]);
    expect(dynamoDbPortProblems(parsed(COURSE.replace('amazon/dynamodb-local', 'localstack/localstack')))).toEqual([expect.stringContaining('(services: `dynamodb-local`, `db`)')]);
  });

  it('needs -sharedDb, and -inMemory or a data volume', () => {
    expect(sharedDbProblems(parsed(COURSE.replace(' -sharedDb', '')))).toEqual([expect.stringMatching(/^docker-compose\.yml:4: .*has no `-sharedDb`/)]);
    const noVolume = parsed(COURSE.replace('    volumes:\n      - "./docker/dynamodb:/home/dynamodblocal/data"\n', ''));
    expect(sharedDbProblems(noVolume)).toEqual([expect.stringContaining('neither in memory')]);
  });

  it("checks Postgres against the password and port of the repository's own URL", () => {
    const file = parsed(COURSE);
    expect(postgresProblems(file, { ...course, password: 'secret', source: '.env.example' })).toEqual([expect.stringContaining('another password than the one in .env.example')]);
    expect(postgresProblems(file, { ...course, port: 5433 })).toEqual([expect.stringContaining('host port 5433')]);
    expect(postgresProblems(file, { ...course, user: 'cruddur' })).toEqual([expect.stringContaining('makes the user `postgres`, but the course\'s CONNECTION_URL connects as `cruddur`')]);
    // Without POSTGRES_USER the image's user is postgres.
    expect(postgresProblems(parsed(COURSE.replace('      - POSTGRES_USER=postgres\n', '')), course)).toEqual([]);
    expect(postgresProblems(parsed(COURSE.replace('postgres:13-alpine', 'mysql:8')), course)).toEqual([expect.stringContaining('no service running the `postgres` image')]);
  });
});

describe('the URL the scripts use', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });
  const repo = (files: Record<string, string>): string => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'compose-file-'));
    roots.push(root);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      writeFileSync(path.join(root, name), text);
    }
    return root;
  };

  it('reads CONNECTION_URL from .env.example, never a production one, else takes the course', () => {
    const root = repo({ 'docker-compose.yml': COURSE, '.env.example': 'PROD_CONNECTION_URL=postgresql://u:p@prod.rds.amazonaws.com:5432/x\nCONNECTION_URL=postgresql://postgres:secret@localhost:5433/cruddur\n' });
    const file = readComposeFile(root) as ComposeFile;
    expect(expectedPostgres(root, file)).toEqual({ user: 'postgres', password: 'secret', port: 5433, source: '.env.example' });
    const plain = repo({ 'docker-compose.yml': COURSE });
    expect(expectedPostgres(plain, readComposeFile(plain) as ComposeFile)).toEqual(course);
    expect(readComposeFile(repo({}))).toEqual({ kind: 'missing' });
  });
});
