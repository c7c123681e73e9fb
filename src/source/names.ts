/**
 * Matching key for actor names: case-, width- and apostrophe-insensitive, so "Kata'ib Hezbollah"
 * finds "Kata’ib Hezbollah" and "  HOOK " finds "Hook".
 */
export function normalizeName(name: string): string {
  return name
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2010-\u2015]/g, "-")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}
