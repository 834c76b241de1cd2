/**
 * convertIp: IPv4 addresses between a dotted quad ("192.168.0.1") and its unsigned 32-bit
 * integer as decimal text ("3232235521"), as schemas disagree on how to store remote_ip.
 * An empty value becomes NULL (Magento leaves remote_ip empty when it had none).
 *
 * No sql(): INET_ATON/INET_NTOA yield NULL (or a partial address) where this handler rejects.
 */
import { type HandlerDefinition, HandlerParamsError, HandlerRejection } from './contract.js';

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const MAX_IPV4 = 0xffffffff;

export const convertIp: HandlerDefinition = {
  name: 'convertIp',
  description:
    'Converts IPv4 addresses between "a.b.c.d" and their unsigned integer; empty becomes NULL, other ' +
    'input rejects the row. params: { "to": "int" | "string" }',
  create(params) {
    const to = params.to;
    if (to !== 'int' && to !== 'string')
      throw new HandlerParamsError('convertIp needs params.to ("int" or "string")');
    return {
      transform(value) {
        if (value === null || value.length === 0) return null;
        // A VARBINARY(4) column holds the address as 4 raw bytes (a dotted quad has at least 7).
        const number =
          Buffer.isBuffer(value) && value.length === 4
            ? value.readUInt32BE(0)
            : parse(Buffer.isBuffer(value) ? value.toString('latin1') : value, to);
        return to === 'int'
          ? String(number)
          : [24, 16, 8, 0].map((bits) => (number >>> bits) & 0xff).join('.');
      },
    };
  },
};

/** The address as a number, from the text form that `to` converts from. */
function parse(text: string, to: 'int' | 'string'): number {
  if (to === 'int') {
    const octets = DOTTED_QUAD.exec(text)?.slice(1).map(Number);
    if (!octets || octets.some((octet) => octet > 255)) {
      throw new HandlerRejection(`convertIp: "${text}" is not an IPv4 address like 192.168.0.1`);
    }
    return octets.reduce((sum, octet) => sum * 256 + octet, 0);
  }
  const number = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(number) || number > MAX_IPV4) {
    throw new HandlerRejection(
      `convertIp: "${text}" is not an IPv4 address as an integer from 0 to ${MAX_IPV4}`,
    );
  }
  return number;
}
