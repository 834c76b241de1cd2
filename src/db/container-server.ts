/**
 * A MariaDB server in a Docker container through testcontainers, for machines without a
 * server binary. Only tried when a Docker engine answers; testcontainers is an optional
 * dependency and is loaded only here.
 */
import { existsSync } from 'node:fs';
import type { ServerAddress } from './throwaway-server.js';

export interface ContainerServer extends ServerAddress {
  stop(): Promise<void>;
}

/** True when a Docker engine is plausibly there: DOCKER_HOST is set or the default socket exists. */
export function dockerLooksAvailable(): boolean {
  return Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}

export async function startContainerServer(image = 'mariadb:10.11'): Promise<ContainerServer> {
  const tc = await import('testcontainers');
  const container = await new tc.GenericContainer(image)
    .withEnvironment({ MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: '1', MYSQL_ALLOW_EMPTY_PASSWORD: '1' })
    .withCommand(['--local-infile=1', '--max-allowed-packet=64M'])
    .withExposedPorts(3306)
    .withWaitStrategy(tc.Wait.forLogMessage(/ready for connections/, 2))
    .start();
  return {
    host: container.getHost(),
    port: container.getMappedPort(3306),
    user: 'root',
    password: '',
    async stop() {
      await container.stop();
    },
  };
}
