/**
 * Reads config.xml into a typed, validated {@link Config}: `${VAR}` comes from the environment,
 * relative paths resolve against the config file's folder, and every mistake is a ConfigError
 * (exit 2) naming the element, its line and, for typos, the name that was probably meant.
 * Passwords are never echoed into a message or hint.
 */
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { resolveProfile } from '../engine/profiles.js';
import { ConfigError } from '../errors.js';
import { nearest } from '../util/nearest.js';
import { OPTION_DEFS, type OptionDef, type OptionProperty } from './options.js';
import {
  type Config,
  type DatabaseConfig,
  HOOK_NAMES,
  type Hooks,
  type Options,
  type TlsConfig,
} from './types.js';
import { parseXml, type XmlElement, XmlSyntaxError } from './xml.js';

const DATABASE_ATTRIBUTES = [
  'host',
  'port',
  'user',
  'password',
  'name',
  'socket',
  'ssl_ca',
  'ssl_cert',
  'ssl_key',
] as const;
const SSL_ATTRIBUTES = { ssl_ca: 'ca', ssl_cert: 'cert', ssl_key: 'key' } as const;

/** What every check needs: where the config lives and where to read `${VAR}` from. */
interface Ctx {
  file: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  /** The parsed file, so an unset variable's error can name every unset one at once. */
  root?: XmlElement;
}

export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const absolute = path.resolve(file);
  const ctx: Ctx = { file: absolute, dir: path.dirname(absolute), env };
  const root = parse(ctx, await readConfigFile(absolute));
  ctx.root = root;

  if (root.name !== 'config') {
    const guess = nearest(root.name, ['config']);
    throw new ConfigError(
      `the root element is <${root.name}> at line ${root.line}; it must be <config>` +
        (guess ? '; did you mean <config>?' : ''),
      {
        code: 'CONFIG_UNKNOWN_ELEMENT',
        hint: guess ? `rename <${root.name}> to <config>` : 'wrap the configuration in <config>...</config>',
        context: at(ctx, root),
      },
    );
  }
  rejectAttributes(ctx, root, (name) => name === 'xmlns' || name.includes(':'));
  const sections = children(ctx, root, ['source', 'destination', 'options', 'hooks']);
  const config: Config = {
    file: absolute,
    source: await database(ctx, root, sections.get('source'), 'source'),
    destination: await database(ctx, root, sections.get('destination'), 'destination'),
    options: await withProfileFiles(
      ctx,
      sections.get('options'),
      await options(ctx, root, sections.get('options')),
    ),
  };
  const hookSection = sections.get('hooks');
  if (hookSection) config.hooks = hooks(ctx, root, hookSection);
  return config;
}

/** Seconds a hook may run when its element has no timeout attribute. */
export const DEFAULT_HOOK_TIMEOUT = 60;

/**
 * `<hooks>`: one element per hook (HOOK_NAMES), its text the shell command, with an optional
 * `timeout` attribute in seconds. An empty command is an error: a hook that does nothing
 * would let `migrate cutover` believe the shop went into maintenance.
 */
function hooks(ctx: Ctx, root: XmlElement, section: XmlElement): Hooks {
  rejectAttributes(ctx, section);
  const found = children(ctx, section, HOOK_NAMES);
  const result: Hooks = { commands: {}, secretVariables: passwordVariables(root) };
  for (const name of HOOK_NAMES) {
    const el = found.get(name);
    if (!el) continue;
    children(ctx, el, [], true);
    rejectAttributes(ctx, el, (attribute) => attribute === 'timeout', ['timeout']);
    const where = `<${name}> in <hooks> at line ${el.line}`;
    const command = expand(ctx, el.text.trim(), el, where);
    if (command === '') {
      throw missing(ctx, el, `${where} is empty`, `put the shell command to run in <${name}>...</${name}>`);
    }
    const timeoutText = el.attributes.timeout ?? String(DEFAULT_HOOK_TIMEOUT);
    const timeoutSeconds = Number(timeoutText);
    if (!/^\d+$/.test(timeoutText) || timeoutSeconds < 1 || timeoutSeconds > 86_400) {
      throw invalid(ctx, el, `the timeout of ${where} is "${timeoutText}"`, 'whole seconds from 1 to 86400');
    }
    result.commands[name] = { command, timeoutSeconds };
  }
  return result;
}

/** Elements of `<options>` that hold secrets (keys): their text is never echoed. */
const SECRET_ELEMENTS = new Set(
  Object.values(OPTION_DEFS as Record<string, OptionDef>)
    .filter((def) => def.kind === 'secret')
    .map((def) => def.element),
);

/** The `${VAR}`s the `<database>` password attributes and the secret options (crypt keys) read. */
function passwordVariables(root: XmlElement): string[] {
  const names = new Set<string>();
  const visit = (el: XmlElement) => {
    const secret =
      el.name === 'database' ? el.attributes.password : SECRET_ELEMENTS.has(el.name) ? el.text : undefined;
    for (const match of (secret ?? '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) names.add(match[1] ?? '');
    el.children.forEach(visit);
  };
  visit(root);
  return [...names];
}

/**
 * `<profile>` fills the map file, settings map and delta log list config.xml does not name
 * itself; with neither a profile nor `<map_file>` there is nothing to migrate by.
 */
async function withProfileFiles(
  ctx: Ctx,
  section: XmlElement | undefined,
  values: Options,
): Promise<Options> {
  const merged = { ...values };
  if (values.profile !== undefined) {
    const profile = await resolveProfile(values.profile, ctx.dir);
    const [first, ...more] = profile.mapFiles ?? [];
    if (merged.mapFile === undefined && profile.mapFile === undefined && first !== undefined) {
      for (const file of [first, ...more]) {
        if (section) await checkReadable(ctx, section, `profile ${profile.name}`, file);
      }
      merged.mapFile = first;
      merged.mapFiles = [first, ...more];
    }
    for (const key of ['mapFile', 'settingsMapFile', 'deltalogFile'] as const) {
      const file = profile[key];
      if (merged[key] !== undefined || file === undefined) continue;
      if (section) await checkReadable(ctx, section, `profile ${profile.name}`, file);
      merged[key] = file;
    }
  }
  if (merged.mapFile === undefined && section) {
    throw missing(
      ctx,
      section,
      `profile ${values.profile} names no map file and <options> at line ${section.line} has no <map_file>`,
      'add <map_file>map.json</map_file> inside <options>',
    );
  }
  return merged;
}

async function readConfigFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${osReason(error)}`, {
      code: 'CONFIG_FILE_UNREADABLE',
      hint: 'check the path and its permissions: `migrate <command> path/to/config.xml`',
      context: { file },
      cause: error,
    });
  }
}

function parse(ctx: Ctx, text: string): XmlElement {
  try {
    return parseXml(text);
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    throw new ConfigError(`${path.basename(ctx.file)} is not well-formed XML: ${error.message}`, {
      code: 'CONFIG_XML_MALFORMED',
      hint: `fix the XML near line ${error.line}, column ${error.column} of ${ctx.file}`,
      context: { file: ctx.file, line: error.line, column: error.column },
    });
  }
}

async function database(
  ctx: Ctx,
  root: XmlElement,
  section: XmlElement | undefined,
  role: 'source' | 'destination',
): Promise<DatabaseConfig> {
  const upper = role.toUpperCase();
  const example = `<database host="127.0.0.1" user="..." password="\${${upper}_PASSWORD}" name="..."/>`;
  if (!section) {
    throw missing(
      ctx,
      root,
      `${path.basename(ctx.file)} has no <${role}> element`,
      `add <${role}>${example}</${role}> inside <config>`,
    );
  }
  rejectAttributes(ctx, section);
  const el = children(ctx, section, ['database']).get('database');
  if (!el) {
    throw missing(
      ctx,
      section,
      `<${role}> at line ${section.line} has no <database> element`,
      `add ${example} inside <${role}>`,
    );
  }
  children(ctx, el, []);
  const where = `<database> in <${role}> at line ${el.line}`;
  rejectAttributes(
    ctx,
    el,
    (name) => (DATABASE_ATTRIBUTES as readonly string[]).includes(name),
    DATABASE_ATTRIBUTES,
  );

  const attr = (name: (typeof DATABASE_ATTRIBUTES)[number]): string | undefined => {
    const raw = el.attributes[name];
    return raw === undefined ? undefined : expand(ctx, raw, el, `the ${name} attribute of ${where}`);
  };
  const required = (name: 'user' | 'name'): string => {
    const value = attr(name);
    if (value === undefined || value === '') {
      throw new ConfigError(`${where} has no ${name} attribute`, {
        code: 'CONFIG_MISSING_ATTRIBUTE',
        hint: `add ${name}="..." to the <database> element in <${role}>`,
        context: at(ctx, el),
      });
    }
    return value;
  };

  const user = required('user');
  const name = required('name');
  const password = attr('password') ?? '';
  const socket = attr('socket') || undefined;
  const host = attr('host') || (socket ? 'localhost' : '127.0.0.1');
  const portText = attr('port');
  const port = portText === undefined ? 3306 : Number(portText);
  if (!/^\d+$/.test(portText ?? '3306') || port < 1 || port > 65535) {
    throw invalid(ctx, el, `the port of ${where} is "${portText}"`, 'an integer from 1 to 65535');
  }

  let ssl: TlsConfig | undefined;
  for (const [attribute, key] of Object.entries(SSL_ATTRIBUTES) as [
    keyof typeof SSL_ATTRIBUTES,
    keyof TlsConfig,
  ][]) {
    const value = attr(attribute);
    if (!value) continue;
    const resolved = path.resolve(ctx.dir, value);
    await checkReadable(ctx, el, `the ${attribute} attribute of ${where}`, resolved);
    ssl = { ...ssl, [key]: resolved };
  }

  const config: DatabaseConfig = { host, port, user, password, name };
  if (socket) config.socket = socket;
  if (ssl) config.ssl = ssl;
  return config;
}

async function options(ctx: Ctx, root: XmlElement, section: XmlElement | undefined): Promise<Options> {
  if (!section) {
    throw missing(
      ctx,
      root,
      `${path.basename(ctx.file)} has no <options> element`,
      'add <options><map_file>map.json</map_file></options> inside <config>',
    );
  }
  rejectAttributes(ctx, section);
  const defs = Object.entries(OPTION_DEFS) as [OptionProperty, OptionDef][];
  const found = children(
    ctx,
    section,
    defs.map(([, def]) => def.element),
  );
  const values: Partial<Record<OptionProperty, string | number | boolean>> = {};
  for (const [property, def] of defs) {
    const el = found.get(def.element);
    if (el) {
      children(ctx, el, [], true);
      rejectAttributes(ctx, el);
    }
    const where = el ? `<${def.element}> at line ${el.line}` : `the default of <${def.element}>`;
    let text = el ? expand(ctx, el.text.trim(), el, where) : def.default;
    if ((def.kind === 'path' || def.kind === 'secret') && text === '') text = def.default;
    if (text === undefined) {
      // A profile brings its own map file (see withProfileFiles); an empty <map_file> is still an error.
      if (!def.required || (property === 'mapFile' && !el && found.has('profile'))) continue;
      throw missing(
        ctx,
        el ?? section,
        el ? `${where} is empty` : `<options> at line ${section.line} has no <${def.element}>`,
        `${el ? 'put a path in' : 'add'} <${def.element}>...</${def.element}> inside <options>: the ${def.description}`,
      );
    }
    values[property] = await readOption(ctx, el ?? section, where, def, text);
  }
  return values as Options;
}

async function readOption(
  ctx: Ctx,
  el: XmlElement,
  where: string,
  def: OptionDef,
  text: string,
): Promise<string | number | boolean> {
  switch (def.kind) {
    case 'path': {
      const resolved = path.resolve(ctx.dir, text);
      if (def.mustExist) await checkReadable(ctx, el, where, resolved);
      return resolved;
    }
    case 'int': {
      const value = Number(text);
      const max = def.max ?? Number.MAX_SAFE_INTEGER;
      if (!/^-?\d+$/.test(text) || value < def.min || value > max) {
        const allowed = def.max === undefined ? `${def.min} or more` : `from ${def.min} to ${def.max}`;
        throw invalid(ctx, el, `${where} is "${text}"`, `an integer ${allowed}`);
      }
      return value;
    }
    case 'bool': {
      const lower = text.toLowerCase();
      if (['1', 'true', 'yes'].includes(lower)) return true;
      if (['0', 'false', 'no'].includes(lower)) return false;
      throw invalid(ctx, el, `${where} is "${text}"`, '1, 0, true, false, yes or no');
    }
    case 'string':
      if (!def.pattern.test(text)) throw invalid(ctx, el, `${where} is "${text}"`, def.allowed);
      return text;
    case 'secret':
      return text;
    default: {
      const unreachable: never = def;
      return unreachable;
    }
  }
}

/**
 * The children of `parent`, keyed by name. Each name in `allowed` may appear at most once; any
 * other element is an error, and so is text unless `textAllowed`.
 */
function children(
  ctx: Ctx,
  parent: XmlElement,
  allowed: readonly string[],
  textAllowed = false,
): Map<string, XmlElement> {
  const found = new Map<string, XmlElement>();
  if (!textAllowed && parent.text.trim() !== '') {
    // The text is not echoed: it could be a password put in the wrong place.
    const hint = `remove the text; <${parent.name}> may contain only elements and comments`;
    throw invalid(
      ctx,
      parent,
      `<${parent.name}> at line ${parent.line} contains text`,
      'only elements',
      hint,
    );
  }
  for (const child of parent.children) {
    if (!allowed.includes(child.name)) {
      const guess = nearest(child.name, allowed);
      const contains =
        allowed.length > 0
          ? `<${parent.name}> may contain ${allowed.map((name) => `<${name}>`).join(', ')}`
          : `<${parent.name}> contains no elements`;
      throw new ConfigError(
        `unknown element <${child.name}> in <${parent.name}> at line ${child.line}` +
          (guess ? `; did you mean <${guess}>?` : ''),
        {
          code: 'CONFIG_UNKNOWN_ELEMENT',
          hint: guess ? `rename it to <${guess}>` : `remove it; ${contains}`,
          context: at(ctx, child),
        },
      );
    }
    const previous = found.get(child.name);
    if (previous) {
      throw new ConfigError(
        `<${child.name}> appears twice in <${parent.name}> (lines ${previous.line} and ${child.line}); only one is allowed`,
        { code: 'CONFIG_DUPLICATE_ELEMENT', hint: `remove one of them`, context: at(ctx, child) },
      );
    }
    found.set(child.name, child);
  }
  return found;
}

/** Any attribute `isAllowed` rejects is an error; by default an element takes none. */
function rejectAttributes(
  ctx: Ctx,
  el: XmlElement,
  isAllowed: (name: string) => boolean = () => false,
  known: readonly string[] = [],
): void {
  for (const name of Object.keys(el.attributes)) {
    if (isAllowed(name)) continue;
    const guess = nearest(name, known);
    const takes =
      known.length > 0 ? `<${el.name}> takes ${known.join(', ')}` : `<${el.name}> takes no attributes`;
    throw new ConfigError(
      `unknown attribute ${name} on <${el.name}> at line ${el.line}` +
        (guess ? `; did you mean ${guess}?` : ''),
      {
        code: 'CONFIG_UNKNOWN_ATTRIBUTE',
        hint: guess ? `rename it to ${guess}` : `remove it; ${takes}`,
        context: at(ctx, el),
      },
    );
  }
}

/** Every `${VAR}` in the file's attributes and text that the environment does not set, in file order. */
function unsetVariables(root: XmlElement | undefined, env: NodeJS.ProcessEnv): string[] {
  const names = new Set<string>();
  const visit = (el: XmlElement) => {
    for (const text of [...Object.values(el.attributes), el.text]) {
      for (const match of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
        const name = match[1] ?? '';
        if (env[name] === undefined) names.add(name);
      }
    }
    el.children.forEach(visit);
  };
  if (root) visit(root);
  return [...names];
}

/** Replaces `${VAR}` from the environment; anything else, a lone `$` included, stays as written. */
function expand(ctx: Ctx, raw: string, el: XmlElement, where: string): string {
  return raw.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
    const value = ctx.env[name];
    if (value === undefined) {
      // Name every unset variable at once: fixing them one run at a time wastes the operator's time.
      const others = unsetVariables(ctx.root, ctx.env).filter((other) => other !== name);
      const also = others.length ? `; also unset: ${others.join(', ')}` : '';
      throw new ConfigError(`environment variable ${name} is not set (used in ${where})${also}`, {
        code: 'CONFIG_ENV_UNSET',
        hint: `export ${[name, ...others].map((n) => `${n}=...`).join(' ')} before running migrate`,
        context: at(ctx, el),
      });
    }
    return value;
  });
}

async function checkReadable(ctx: Ctx, el: XmlElement, what: string, file: string): Promise<void> {
  try {
    if (!(await stat(file)).isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOTFILE' });
    await access(file, constants.R_OK);
  } catch (error) {
    throw new ConfigError(`cannot read ${file}, named by ${what}: ${osReason(error)}`, {
      code: 'CONFIG_FILE_UNREADABLE',
      hint: `check the path (relative paths start from ${ctx.dir}) and the file's permissions`,
      context: at(ctx, el),
      cause: error,
    });
  }
}

const OS_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
  ENOTFILE: 'not a regular file',
};

function osReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && OS_REASONS[code]) return OS_REASONS[code];
  return code ?? (error instanceof Error ? error.message : String(error));
}

function missing(ctx: Ctx, el: XmlElement, message: string, hint: string): ConfigError {
  return new ConfigError(message, { code: 'CONFIG_MISSING', hint, context: at(ctx, el) });
}

/** `subject` names the element and echoes its value; never call it with a password. */
function invalid(
  ctx: Ctx,
  el: XmlElement,
  subject: string,
  allowed: string,
  hint = `use ${allowed}`,
): ConfigError {
  return new ConfigError(`${subject}; allowed: ${allowed}`, {
    code: 'CONFIG_VALUE_INVALID',
    hint,
    context: at(ctx, el),
  });
}

function at(ctx: Ctx, el: XmlElement): { file: string; line: number; column?: number } {
  return el.column === undefined
    ? { file: ctx.file, line: el.line }
    : { file: ctx.file, line: el.line, column: el.column };
}
