/**
 * serializedToJson: rewrites PHP serialize() text as JSON, as Magento 2.2 did for its
 * configuration, quote and order item options. Values that are already JSON are left alone,
 * so running it twice is harmless.
 */
import { type HandlerDefinition, HandlerRejection, type Value } from './contract.js';
import { PhpSerializeError, toJson, unserialize } from './php-serialize.js';

export const serializedToJson: HandlerDefinition = {
  name: 'serializedToJson',
  description:
    'Converts PHP serialized text to JSON; NULL, empty and JSON values stay; malformed input rejects the row. ' +
    'No params.',
  create() {
    return {
      transform(value) {
        if (value === null || value.length === 0 || isJson(value)) return value;
        try {
          return toJson(unserialize(value));
        } catch (error) {
          if (error instanceof PhpSerializeError) {
            throw new HandlerRejection(`serializedToJson: cannot convert to JSON: ${error.message}`);
          }
          throw error;
        }
      },
    };
  },
};

function isJson(value: Exclude<Value, null>): boolean {
  const first = value[0];
  if (first !== '{' && first !== '[' && first !== 0x7b && first !== 0x5b) return false;
  try {
    JSON.parse(value.toString());
    return true;
  } catch {
    return false;
  }
}
