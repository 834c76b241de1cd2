/** What the tool's plan stage resolves for a config.xml against its databases, as `migrate plan` would. */
import { loadConfig } from '../../src/config/load-config.js';
import {
  closeConnections,
  loadMappingFiles,
  openConnections,
  resolveAgainstDatabases,
} from '../../src/steps/plan-stage.js';

export async function resolveConfigFile(configFile: string) {
  const config = await loadConfig(configFile);
  const files = await loadMappingFiles(config);
  const connections = await openConnections(config);
  try {
    return await resolveAgainstDatabases(config, files, connections);
  } finally {
    await closeConnections(connections);
  }
}
