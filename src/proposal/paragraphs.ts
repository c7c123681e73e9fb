// How a body divides into paragraphs, and plain-text quotation marks read as curly ones (offsets kept).

/**
 * Plain-text copy's double quotation mark written as two straight single ones ("''Follow us,'' she said."), as curly
 * marks of the same length: "''F" reads " “F" and ",''" reads ",” ", so offsets into the body are kept.
 */
export function doubledMarks(body: string): string {
  return body.replace(/''/g, (_, at: number) => (at === 0 || /[\s(\[—–-]/.test(body[at - 1]) ? " “" : "” "));
}

/**
 * The body's paragraphs, each with its offset. A blank line ends one; so does a single line break after a sentence's end
 * before a capital, a quotation mark or a digit (copy pasted from a web page, one paragraph per line). A line broken
 * mid-sentence (hard-wrapped copy) runs on.
 */
export function paragraphsOf(body: string): { 0: string; index: number }[] {
  const out: { 0: string; index: number }[] = [];
  let start = -1;
  let end = -1;
  let previous = "";
  const close = () => {
    if (start >= 0) out.push({ 0: body.slice(start, end), index: start });
    start = -1;
  };
  for (const line of body.matchAll(/[^\n]*/g)) {
    const text = line[0];
    if (!text.trim()) {
      // (matchAll also yields the empty match at each line break: only a line of its own is blank.)
      if (line.index === 0 || body[line.index - 1] === "\n") close();
      continue;
    }
    if (start >= 0 && /[.!?:]["”’»)]?[^\S\n]*$/.test(previous) && /^[^\S\n]*[\p{Lu}“"‘'«\d]/u.test(text)) close();
    if (start < 0) start = line.index;
    end = line.index + text.length;
    previous = text;
  }
  close();
  return out;
}
