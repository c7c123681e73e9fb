import pg from "pg";

const TIMESTAMP_OID = 1114;
const parseTimestamptz = pg.types.getTypeParser(1184);
const PLAIN_TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?$/;
/**
 * UTC from `2024-12-24 15:45:05.386`, read digit by digit: `new Date(text)` took a few percent of a
 * page request. Years before 100, BC dates and infinities take pg's own parser.
 */
function parseUtcTimestamp(text: string): Date {
  const digits = (from: number, to: number) => {
    let value = 0;
    for (let i = from; i < to; i++) value = value * 10 + text.charCodeAt(i) - 48;
    return value;
  };
  const year = PLAIN_TIMESTAMP.test(text) ? digits(0, 4) : 0;
  if (year < 100) return parseTimestamptz(text.endsWith(" BC") ? `${text.slice(0, -3)}+00 BC` : `${text}+00`);
  const millis = text.length > 20 ? Math.floor(digits(20, text.length) * 10 ** (23 - text.length)) : 0;
  return new Date(Date.UTC(year, digits(5, 7) - 1, digits(8, 10), digits(11, 13), digits(14, 16), digits(17, 19), millis));
}
/** Columns are `timestamp` holding UTC, as Prisma writes them; pg alone would read them as local time. */
export const UTC_TIMESTAMPS = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID ? parseUtcTimestamp : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};
