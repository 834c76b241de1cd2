/**
 * `next:` lines name the config file the operator actually typed. The library does not know
 * that path (it has the absolute one, or writes `<config>`), so the CLI fills it in when it
 * renders an error: `<config>`, the bare `config.xml` of a generic hint, the absolute path,
 * and a `migrate <command>` written without a path all become the operator's own command.
 */
import { shellWord } from '../util/shell-word.js';

const COMMANDS = 'preflight|plan|settings|data|delta|check|status|cleanup';

export function withConfigPath(text: string, named: string, absolute?: string): string {
  const path = shellWord(named);
  let out = absolute ? text.split(absolute).join(path) : text;
  out = out.replaceAll('<config>', path);
  // A bare config.xml, not part of a longer path or name (path/to/config.xml stays an example).
  out = out.replace(/(?<![\w/.<-])config\.xml(?![\w-])/g, path);
  // `migrate data` with no path after it: the operator's path goes in.
  const bare = new RegExp(`\\bmigrate (${COMMANDS})\\b(?! +${escapeRegExp(path)}(?![\\w.-]))`, 'g');
  return out.replace(bare, `migrate $1 ${path}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
