/**
 * A map file may name handler modules: code of the user's that the tool imports to validate the
 * map, so its top-level code and create() run in every command that reads the map, --dry-run
 * included (only transform() waits for rows). A dry run says so rather than implying it ran
 * nothing: a map file and its modules must be trusted like code.
 */
import { importedHandlerModules } from '../handlers/registry.js';
import type { Logger } from '../log.js';

export function noteHandlerModules(log: Logger): void {
  const modules = importedHandlerModules();
  if (modules.length === 0) return;
  log.warn(
    `the map names handler modules, which were imported (their top-level code and create() ran, in this dry run too): ${modules.join(', ')}. ` +
      'A map file and its modules are code: use only ones you trust.',
  );
}
