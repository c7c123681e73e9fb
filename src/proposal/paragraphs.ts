// How a body divides into paragraphs, and plain-text quotation marks read as curly ones (offsets kept).

const OPENS_AFTER = /[\s(\[—–-]/;
const CLOSES_AFTER = /[\p{L}.,;:!?…)\]]/u;
const ENDS_MARK = /[\s.,;:!?)\]—–-]/;
const PUNCTUATION = /[.,;:!?]/;

/**
 * Plain-text copy's double quotation mark written as two straight single ones ("''Follow us,'' she said."), as curly
 * marks, offsets kept: an opening "''F" reads " “F", a closing "us,''" reads "us,” " and "on'', Berg" reads "on”,  Berg"
 * (the punctuation after it moves up a place, no word moves). Only marks that pair up in a paragraph are read so: not
 * "a 3'' pipe" (after a digit), not "the players'' union" (nothing opened it), not a run of them.
 */
export function doubledMarks(body: string): string {
  const out = body.split("");
  let open = -1;
  for (const match of body.matchAll(/''/g)) {
    const at = match.index;
    const [before, after] = [body[at - 1] ?? " ", body[at + 2] ?? " "];
    // A paragraph break between an opening mark and this one: the opening one was no mark.
    if (open >= 0 && body.slice(open, at).includes("\n\n")) open = -1;
    if (open < 0 && OPENS_AFTER.test(before) && /[\p{L}\p{N}“‘]/u.test(after)) open = at;
    else if (open >= 0 && CLOSES_AFTER.test(before) && ENDS_MARK.test(after)) {
      [out[open], out[open + 1]] = [" ", "“"];
      out[at] = "”";
      if (PUNCTUATION.test(after)) [out[at + 1], out[at + 2]] = [after, " "];
      else out[at + 1] = " ";
      open = -1;
    }
  }
  return out.join("");
}

/**
 * The body's paragraphs, each with its offset. A blank line ends one; so does a single line break after a sentence's end
 * before a capital, a quotation mark or a digit (copy pasted from a web page, one paragraph per line), unless a quotation
 * is still open there. A line broken mid-sentence (hard-wrapped copy) runs on.
 */
export function paragraphsOf(body: string): { 0: string; index: number }[] {
  const out: { 0: string; index: number }[] = [];
  let start = -1;
  let end = -1;
  let previous = "";
  let quoting = false;
  const close = () => {
    if (start >= 0) out.push({ 0: body.slice(start, end), index: start });
    [start, quoting] = [-1, false];
  };
  for (const line of body.matchAll(/[^\n]*/g)) {
    const text = line[0];
    if (!text.trim()) {
      // (matchAll also yields the empty match at each line break: only a line of its own is blank.)
      if (line.index === 0 || body[line.index - 1] === "\n") close();
      continue;
    }
    if (start >= 0 && !quoting && /[.!?:]["”’»)]?[^\S\n]*$/.test(previous) && /^[^\S\n]*[\p{Lu}“"‘'«\d]/u.test(text)) close();
    if (start < 0) start = line.index;
    end = line.index + text.length;
    previous = text;
    for (const mark of text.matchAll(/[“”«»"]/g)) quoting = mark[0] === '"' ? !quoting : mark[0] === "“" || mark[0] === "«";
  }
  close();
  return out;
}
