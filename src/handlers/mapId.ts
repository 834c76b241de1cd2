/**
 * `mapId`: rewrites a field through an id map (src/engine/id-map.ts), e.g. a value's
 * attribute_id from the old store's attribute ids to the new store's. A source id the map
 * does not know rejects the row: writing the old id would point it at a different entity.
 * `keep` lists values that are no id and pass unchanged (Magento's 0 for "no attribute set" on
 * a root category, "all websites" on a tier price).
 */
import { type HandlerDefinition, HandlerParamsError, HandlerRejection } from './contract.js';

export const mapId: HandlerDefinition = {
  name: 'mapId',
  description:
    'mapId: replaces the value by the destination id the id map gives it; params: { "map": "<merged destination document>", "keep": [values kept as they are, e.g. "0"] }',
  create(params) {
    const map = params.map;
    if (typeof map !== 'string' || map === '') {
      throw new HandlerParamsError(
        'mapId needs params.map, the name of an id map (a merged destination document)',
      );
    }
    const keep = params.keep ?? [];
    if (!Array.isArray(keep) || keep.some((k) => typeof k !== 'string')) {
      throw new HandlerParamsError('mapId: params.keep must be a list of strings (values that are not ids)');
    }
    const kept = new Set<string>(keep as string[]);
    return {
      needs: { idMaps: [map], idsFrom: 'value' },
      transform(value, _row, lookups) {
        if (value === null) return null;
        const text = Buffer.isBuffer(value) ? value.toString('utf8') : value;
        if (kept.has(text)) return text;
        if (!lookups) throw new HandlerRejection(`id map ${map} is not available on this path`);
        const found = lookups.id(map, text);
        if (found === undefined)
          throw new HandlerRejection(`id map ${map} has no entry for source id ${text}`);
        return found;
      },
    };
  },
};
