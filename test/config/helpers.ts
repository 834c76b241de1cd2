/**
 * Shared by the config tests: a temp folder holding a config.xml and the files it names, a
 * config.xml builder with replaceable sections, and an assertion for ConfigErrors.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config.xml syntax here, not a template
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/errors.js';

export const SOURCE_DB = '<database host="db1" user="m1" password="${M1_PASSWORD}" name="magento1"/>';
export const DEST_DB = '<database host="db2" user="m2" password="${M2_PASSWORD}" name="magento2"/>';
export const ENV = { M1_PASSWORD: 'pw1', M2_PASSWORD: 'pw2' };

export interface Sections {
  source?: string;
  destination?: string;
  options?: string;
}

/** A config.xml with the given sections; each section is the inner XML of its element. */
export function configXml(sections: Sections = {}): string {
  const { source = SOURCE_DB, destination = DEST_DB, options = '<map_file>map.json</map_file>' } = sections;
  return [
    '<config>',
    `  <source>${source}</source>`,
    `  <destination>${destination}</destination>`,
    `  <options>${options}</options>`,
    '</config>',
    '',
  ].join('\n');
}

/** A fresh temp folder with map.json, settings.json and deltalog.json in it. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'store-migrate-config-'));
  for (const name of ['map.json', 'settings.json', 'deltalog.json']) {
    await writeFile(path.join(dir, name), '{}');
  }
  return dir;
}

/** Writes `xml` as config.xml in a fresh temp folder and returns the file's path. */
export async function writeConfig(xml: string, dir?: string): Promise<string> {
  const folder = dir ?? (await tempDir());
  const file = path.join(folder, 'config.xml');
  await writeFile(file, xml);
  return file;
}

/**
 * Awaits `promise`, which must reject with a ConfigError of `code` (exit 2) whose message
 * contains every fragment; returns the error for further checks.
 */
export async function expectConfigError(
  promise: Promise<unknown>,
  code: string,
  ...fragments: string[]
): Promise<ConfigError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.exitCode, 2);
  for (const fragment of fragments) {
    assert.ok(caught.message.includes(fragment), `"${caught.message}" should contain "${fragment}"`);
  }
  return caught;
}
