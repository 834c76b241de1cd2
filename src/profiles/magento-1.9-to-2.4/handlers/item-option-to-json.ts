/**
 * itemOptionToJson: the value of a 1.9 cart or wishlist item option (sales_flat_quote_item_option,
 * wishlist_item_option) in the form 2.4 reads. 1.9 PHP-serializes the options that hold
 * structures (info_buyRequest, the chosen configurable attributes, bundle selections, a
 * product's parameters) and 2.4 json_decodes them; the others are plain text (simple_product's
 * id, product_qty_<id>, a text custom option's answer) and stay as they are. Like the Magento
 * tool, the codes that always hold a structure are named; an option of another code (a file
 * custom option: option_<id>) is converted when its value is a serialized array or object.
 * A named code whose value is not serialized PHP rejects the row (2.4 would fail to read it).
 */
import { type HandlerDefinition, HandlerRejection } from '../../../handlers/contract.js';
import { PhpSerializeError, toJson, unserialize } from '../../../handlers/php-serialize.js';

/** Codes whose value 1.9 always serializes (Magento\Quote and Magento\Wishlist json_decode them). */
const STRUCTURED =
  /^(info_buyRequest|attributes|parameters|bundle_option_ids|bundle_selection_ids|bundle_selection_attributes)$/;
/** The start of a serialized array or object: a file option's value, never a typed answer. */
const SERIALIZED_STRUCTURE = /^(a:\d+:\{|O:\d+:")/;

export const itemOptionToJson: HandlerDefinition = {
  name: 'itemOptionToJson',
  description:
    "itemOptionToJson: a 1.9 quote or wishlist item option value as 2.4 reads it (serialized structures to JSON by the row's code); no params",
  create() {
    return {
      reads: ['code'],
      transform(value, row) {
        if (value === null || value.length === 0) return value;
        const text = Buffer.isBuffer(value) ? value.toString('utf8') : value;
        const code = row.code === null || row.code === undefined ? '' : String(row.code);
        const named = STRUCTURED.test(code);
        if (!named && !SERIALIZED_STRUCTURE.test(text)) return value;
        if (text.startsWith('{') || text.startsWith('[')) {
          try {
            JSON.parse(text);
            return value; // already JSON: a second run changes nothing
          } catch {
            // not JSON: read as PHP below
          }
        }
        try {
          return toJson(unserialize(text));
        } catch (error) {
          if (!(error instanceof PhpSerializeError)) throw error;
          if (!named) return value;
          throw new HandlerRejection(
            `itemOptionToJson: option ${code} is not serialized PHP: ${error.message}`,
          );
        }
      },
    };
  },
};
