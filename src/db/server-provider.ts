/**
 * Finds a MySQL-compatible server for tests and the demo, first of: a URL from the
 * environment; a throwaway server from a binary on the PATH; a Docker container. Otherwise
 * it says how to get one.
 */
import { dockerLooksAvailable, startContainerServer } from './container-server.js';
import {
  findServerBinary,
  type ServerAddress,
  startThrowawayServer,
  type ThrowawayServer,
} from './throwaway-server.js';

export interface ProvidedServer extends ServerAddress {
  readonly kind: 'url' | 'throwaway' | 'container';
  /** Present for a throwaway server: it can be killed and restarted. */
  readonly throwaway?: ThrowawayServer;
  stop(): Promise<void>;
}

/** Parses mysql://user:password@host:port into an address. */
export function parseServerUrl(url: string): ServerAddress {
  const parsed = new URL(url);
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new Error(`expected a mysql:// URL, got ${parsed.protocol}//...`);
  }
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
  };
}

export async function provideServer(urlVariable: string): Promise<ProvidedServer> {
  const url = process.env[urlVariable];
  if (url) return { ...parseServerUrl(url), kind: 'url', stop: async () => {} };
  if (findServerBinary()) {
    const server = await startThrowawayServer();
    return { ...addressOf(server), kind: 'throwaway', throwaway: server, stop: () => server.stop() };
  }
  if (dockerLooksAvailable()) {
    const server = await startContainerServer();
    return { ...addressOf(server), kind: 'container', stop: () => server.stop() };
  }
  throw new Error(
    `no MySQL-compatible server to use. Either set ${urlVariable}=mysql://root:password@127.0.0.1:3306 ` +
      '(an existing server; each run uses its own schemas), install MariaDB so that `mariadbd` is on the PATH ' +
      '(Debian/Ubuntu: apt-get install mariadb-server), or start Docker so a container can be used.',
  );
}

function addressOf(server: ServerAddress): ServerAddress {
  return { host: server.host, port: server.port, user: server.user, password: server.password };
}
