/**
 * timezoneShift: moves DATETIME values by a fixed offset (e.g. a store that saved local time
 * into a schema that expects UTC). Exact calendar arithmetic on the text's parts, so nothing
 * passes through a JS Date and fractional seconds are kept digit for digit. A fixed offset
 * knows nothing of daylight saving time.
 *
 * No sql(): DATE_ADD turns a DATE into a DATETIME and yields NULL out of range, where this
 * handler keeps dates and rejects; the two would not match.
 */
import {
  type HandlerDefinition,
  type HandlerParams,
  HandlerParamsError,
  HandlerRejection,
} from './contract.js';

const NEEDS =
  'timezoneShift needs params.offset (like "+02:00" or "-05:30") or params.hours (a number, e.g. -5.5)';
const MINUTES_PER_DAY = 1440;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?)?$/;

export const timezoneShift: HandlerDefinition = {
  name: 'timezoneShift',
  description:
    'Shifts "YYYY-MM-DD HH:MM:SS[.ffffff]" values by a fixed offset; NULL, plain dates and zero dates stay. ' +
    'params: { "offset": "+02:00" } or { "hours": 2 }',
  create(params) {
    const shift = offsetMinutes(params);
    return {
      transform(value) {
        if (value === null) return null;
        const text = Buffer.isBuffer(value) ? value.toString('latin1') : value;
        const parts = DATETIME.exec(text);
        if (!parts)
          throw new HandlerRejection(`timezoneShift: "${text}" is not a YYYY-MM-DD HH:MM:SS date-time`);
        const [, y, mo, d, h, mi, s, fraction = ''] = parts.map((part) => part ?? '');
        const [year, month, day] = [Number(y), Number(mo), Number(d)];
        if (month === 0 || day === 0) return value; // a zero date: nothing to shift
        if (month > 12 || day > daysInMonth(year, month)) {
          throw new HandlerRejection(`timezoneShift: "${text}" is not a valid date`);
        }
        if (h === '') return value; // a plain date carries no time
        if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
          throw new HandlerRejection(`timezoneShift: "${text}" is not a valid time of day`);
        }
        const total = daysFromCivil(year, month, day) * MINUTES_PER_DAY + Number(h) * 60 + Number(mi) + shift;
        const days = Math.floor(total / MINUTES_PER_DAY);
        const minutes = total - days * MINUTES_PER_DAY;
        const [newYear, newMonth, newDay] = civilFromDays(days);
        if (newYear < 0 || newYear > 9999) {
          throw new HandlerRejection(
            `timezoneShift: "${text}" shifted by ${shift} minutes leaves years 0000-9999`,
          );
        }
        const date = `${pad(newYear, 4)}-${pad(newMonth, 2)}-${pad(newDay, 2)}`;
        return `${date} ${pad(Math.floor(minutes / 60), 2)}:${pad(minutes % 60, 2)}:${s}${fraction}`;
      },
    };
  },
};

function offsetMinutes(params: HandlerParams): number {
  const { offset, hours } = params;
  if ((offset === undefined) === (hours === undefined)) throw new HandlerParamsError(`${NEEDS}, not both`);
  if (offset !== undefined) {
    const match = typeof offset === 'string' ? /^([+-])(\d{2}):(\d{2})$/.exec(offset) : null;
    if (!match || Number(match[2]) > 23 || Number(match[3]) > 59) {
      throw new HandlerParamsError(`${NEEDS}; params.offset is ${JSON.stringify(offset)}`);
    }
    return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
  }
  const minutes = typeof hours === 'number' ? hours * 60 : Number.NaN;
  if (!Number.isInteger(minutes) || Math.abs(minutes) >= MINUTES_PER_DAY) {
    throw new HandlerParamsError(
      `${NEEDS}; params.hours must be whole minutes under 24 hours, got ${String(hours)}`,
    );
  }
  return minutes;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The inverse of {@link daysFromCivil}: [year, month, day]. */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}
