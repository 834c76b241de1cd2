/**
 * A throwaway MySQL-compatible server for tests, the demo and the benchmark: a `mariadbd` or
 * `mysqld` from the PATH started on a free port with its data in a temp folder. It can be
 * killed and restarted, which is how tests prove that a run survives a lost server.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';

const run = promisify(execFile);

export interface ServerAddress {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface ThrowawayServer extends ServerAddress {
  readonly dataDir: string;
  /** The server process's id while it runs (tests freeze it with SIGSTOP to play a server that stops answering). */
  readonly pid: number | undefined;
  /** SIGKILL: the server dies at once, as in a crash. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data. */
  restart(): Promise<void>;
  /** Shuts down and removes the data folder. */
  stop(): Promise<void>;
}

export interface ThrowawayOptions {
  /** Extra server options, e.g. `--innodb-buffer-pool-size=1G`. */
  serverArgs?: string[];
}

/** Finds `name` on the PATH (and the sbin folders, where Debian puts mariadbd). */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** The server binary a throwaway server would use, if there is one. */
export function findServerBinary(): { server: string; flavor: 'mariadb' | 'mysql' } | undefined {
  const mariadbd = findExecutable('mariadbd');
  if (mariadbd) return { server: mariadbd, flavor: 'mariadb' };
  const mysqld = findExecutable('mysqld');
  if (mysqld) return { server: mysqld, flavor: 'mysql' };
  return undefined;
}

export async function startThrowawayServer(options: ThrowawayOptions = {}): Promise<ThrowawayServer> {
  const binary = findServerBinary();
  if (!binary) throw new Error('no mariadbd or mysqld on the PATH');
  const base = await mkdtemp(join(tmpdir(), 'store-migrate-db-'));
  const dataDir = join(base, 'data');
  await initializeWithRetries(binary, dataDir, base);
  const port = await freePort();
  const args = [
    '--no-defaults',
    `--datadir=${dataDir}`,
    `--socket=${join(base, 'mysqld.sock')}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--pid-file=${join(base, 'mysqld.pid')}`,
    // Its own temp folder: on-disk temp tables in a shared /tmp were deleted under it by cleaners.
    `--tmpdir=${base}`,
    `--log-error=${join(base, 'error.log')}`,
    '--skip-name-resolve',
    '--local-infile=1',
    '--max-allowed-packet=64M',
    '--innodb-buffer-pool-size=256M',
    '--innodb-log-file-size=256M',
    // Safe against a killed server process (the OS keeps the log); only an OS crash loses a second.
    '--innodb-flush-log-at-trx-commit=2',
    ...(process.getuid?.() === 0 ? ['--user=root'] : []),
    ...(options.serverArgs ?? []),
  ];
  let child: ChildProcess | undefined;
  const address: ServerAddress = { host: '127.0.0.1', port, user: 'root', password: '' };

  const launch = async () => {
    child = spawn(binary.server, args, { stdio: 'ignore' });
    child.unref(); // the server must not keep the test or demo process alive; 'exit' kills it
    const started = child;
    await waitUntilReady(address, started, join(base, 'error.log'));
  };
  const kill = async () => {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((resolve) => current.once('exit', resolve));
    current.kill('SIGKILL');
    await exited;
  };
  const onExit = () => {
    child?.kill('SIGKILL');
    rmSync(base, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  await launch();

  return {
    ...address,
    dataDir,
    get pid() {
      return child?.pid;
    },
    kill,
    restart: launch,
    async stop() {
      const current = child;
      child = undefined;
      if (current && current.exitCode === null) {
        const exited = new Promise((resolve) => current.once('exit', resolve));
        current.kill('SIGTERM');
        const timer = setTimeout(() => current.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      process.removeListener('exit', onExit);
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * mariadb-install-db now and then fails when several start at the same instant (seen as
 * "Unknown table 'mysql.tmp_user_sys'" with parallel test processes); a fresh folder and a
 * second try succeed.
 */
async function initializeWithRetries(
  binary: { server: string; flavor: string },
  dataDir: string,
  base: string,
) {
  for (let attempt = 1; ; attempt++) {
    try {
      await initialize(binary, dataDir, base);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      rmSync(dataDir, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 800));
    }
  }
}

async function initialize(binary: { server: string; flavor: string }, dataDir: string, base: string) {
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  if (binary.flavor === 'mariadb') {
    const installer = findExecutable('mariadb-install-db') ?? findExecutable('mysql_install_db');
    if (!installer) throw new Error('mariadbd is on the PATH but mariadb-install-db is not');
    await run(installer, [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...asRoot,
    ]);
  } else {
    await run(binary.server, [
      '--no-defaults',
      '--initialize-insecure',
      `--datadir=${dataDir}`,
      `--log-error=${join(base, 'init.log')}`,
      ...asRoot,
    ]);
  }
}

async function waitUntilReady(address: ServerAddress, child: ChildProcess, errorLog: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const log = existsSync(errorLog)
        ? readFileSync(errorLog, 'utf8').split('\n').slice(-15).join('\n')
        : '';
      throw new Error(`the throwaway server exited with status ${child.exitCode}:\n${log}`);
    }
    try {
      const conn = await mysql.createConnection({ ...address, connectTimeout: 2000 });
      await conn.end();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('the throwaway server did not accept connections within 60 s');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}
