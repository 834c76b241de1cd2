/**
 * Several map files as one set of rules, so a profile's areas (stores, EAV, catalog, sales...)
 * each keep their own file instead of sharing one JSON: lists are concatenated, objects merged,
 * and the same key in two files is an error naming both (a silent "last one wins" would hide
 * two areas disagreeing). A document one file ignores by its exact name while another maps it
 * is an error too: the resolver applies ignores first, so the mapping would be dropped unseen.
 */
import { basename } from 'node:path';
import { ConfigError } from '../errors.js';
import type { MapFile } from './map-rules.js';

export interface NamedMapFile {
  file: string;
  map: MapFile;
}

type Owners = Map<string, string>;

/** One MapFile from several; throws MAP_FILES_CONFLICT naming both files on a clash. */
export function mergeMapFiles(files: readonly NamedMapFile[]): MapFile {
  const merged: Required<Pick<MapFile, 'source' | 'destination' | 'computed'>> = {
    source: {
      documents: { ignore: [], rename: {} },
      fields: { ignore: [], ignoreTypes: [], rename: {}, transform: [] },
    },
    destination: {
      documents: { ignore: [], merge: {}, keepIds: [] },
      fields: { ignore: [], ignoreTypes: [], transform: [] },
    },
    computed: {},
  };
  const owners = new Map<string, Owners>();
  const claim = (section: string, key: string, file: string) => {
    const seen = owners.get(section) ?? new Map<string, string>();
    owners.set(section, seen);
    const earlier = seen.get(key);
    if (earlier !== undefined && earlier !== file) {
      throw conflict(
        `${section} "${key}" is in both ${basename(earlier)} and ${basename(file)}`,
        earlier,
        file,
      );
    }
    seen.set(key, file);
  };
  const into = <T>(
    target: Record<string, T>,
    from: Record<string, T> | undefined,
    section: string,
    file: string,
  ) => {
    for (const [key, value] of Object.entries(from ?? {})) {
      claim(section, key, file);
      target[key] = value;
    }
  };
  const src = merged.source;
  const dst = merged.destination;
  for (const { file, map } of files) {
    src.documents?.ignore?.push(...(map.source?.documents?.ignore ?? []));
    into(src.documents?.rename ?? {}, map.source?.documents?.rename, 'source.documents.rename', file);
    src.fields?.ignore?.push(...(map.source?.fields?.ignore ?? []));
    src.fields?.ignoreTypes?.push(...(map.source?.fields?.ignoreTypes ?? []));
    into(src.fields?.rename ?? {}, map.source?.fields?.rename, 'source.fields.rename', file);
    src.fields?.transform?.push(...(map.source?.fields?.transform ?? []));
    dst.documents?.ignore?.push(...(map.destination?.documents?.ignore ?? []));
    into(dst.documents?.merge ?? {}, map.destination?.documents?.merge, 'destination.documents.merge', file);
    dst.documents?.keepIds?.push(...(map.destination?.documents?.keepIds ?? []));
    dst.fields?.ignore?.push(...(map.destination?.fields?.ignore ?? []));
    dst.fields?.ignoreTypes?.push(...(map.destination?.fields?.ignoreTypes ?? []));
    dst.fields?.transform?.push(...(map.destination?.fields?.transform ?? []));
    into(merged.computed, map.computed, 'computed', file);
  }
  refuseIgnoredButMapped(files);
  return merged;
}

/** A document ignored by exact name in one file and renamed, merged or computed in another. */
function refuseIgnoredButMapped(files: readonly NamedMapFile[]): void {
  const sourceIgnored = exactNames(files, (m) => m.source?.documents?.ignore);
  const destinationIgnored = exactNames(files, (m) => m.destination?.documents?.ignore);
  for (const { file, map } of files) {
    const mappedSources = Object.keys(map.source?.documents?.rename ?? {});
    const filledDestinations = [
      ...Object.values(map.source?.documents?.rename ?? {}),
      ...Object.keys(map.destination?.documents?.merge ?? {}),
      ...Object.keys(map.computed ?? {}),
    ];
    for (const [names, side, documents] of [
      [sourceIgnored, 'source', mappedSources],
      [destinationIgnored, 'destination', filledDestinations],
    ] as const) {
      for (const document of documents) {
        const ignoredIn = names.get(document);
        if (ignoredIn !== undefined && ignoredIn !== file) {
          throw conflict(
            `${basename(file)} maps ${side} document ${document}, which ${basename(ignoredIn)} ignores (${side}.documents.ignore)`,
            ignoredIn,
            file,
          );
        }
      }
    }
  }
}

function exactNames(files: readonly NamedMapFile[], list: (map: MapFile) => string[] | undefined): Owners {
  const names: Owners = new Map();
  for (const { file, map } of files) {
    for (const name of list(map) ?? []) if (!name.includes('*')) names.set(name, file);
  }
  return names;
}

function conflict(message: string, first: string, second: string): ConfigError {
  return new ConfigError(`map files disagree: ${message}`, {
    code: 'MAP_FILES_CONFLICT',
    hint: `keep the entry in one of ${first} and ${second}`,
    context: { file: second },
  });
}
