import { ORG_HEADS, singular } from "./descriptions";
import type { Speaker } from "./speakers";
import { capital, type Token } from "./text";

/** Who a document speaks for: "a report by Statistics Canada", "the statement from 3M", and "the report" later on. */

/** Documents someone writes or issues, whose words are its author's. */
export const DOCUMENTS = new Set(["report", "study", "survey", "statement", "release", "letter", "email", "note", "memo", "filing", "submission", "post", "tweet"]);
/** How far back "the report" looks for the mention that names its author (a long article's few paragraphs). */
const AUTHOR_REACH = 600;

/**
 * The author of the document "the report" refers back to, named with its nearest earlier mention ("a report by Statistics
 * Canada", "the report written by the authority"), within AUTHOR_REACH tokens.
 */
export function authorBefore(tokens: Token[], noun: string, before: number, resolve: (phrase: Token[]) => Speaker | null): Speaker | null {
  for (let i = before - 1; i >= 0 && i >= before - AUTHOR_REACH; i--) {
    const t = tokens[i];
    if (t.quoted || singular(t.key) !== noun) continue;
    // The nearest mention is the document meant: without its author there ("the trust published a new report") it is
    // not an older one's ("A 2019 report by the National Audit Office").
    const source = voiceSource(tokens, t);
    // ("a report by the Report": no author to follow back again, which a crafted body could chain a mention at a time.)
    return source.length && !DOCUMENTS.has(singular(source.at(-1)!.key)) ? resolve(source) : null;
  }
  return null;
}

/** The name after "from", "by" or "of" that follows a statement or a report: "the", capitals, "of" between them. */
export function voiceSource(tokens: Token[], head: Token): Token[] {
  // "data compiled by Refinitiv", "figures published by the ONS": the participle between is skipped.
  const participle = tokens[head.index + 1]?.tags.has("PastTense") && tokens[head.index + 2]?.key === "by" && !/[,;:.!?]/.test(tokens[head.index + 1].post);
  const by = tokens[head.index + (participle ? 2 : 1)];
  if (!by || !["from", "by", "of"].includes(by.key) || /[,;:.!?]/.test(head.post)) return [];
  const name: Token[] = [];
  for (let i = by.index + 1; i < tokens.length && name.length < 8 && !tokens[i].quoted; i++) {
    const t = tokens[i];
    // "by the Great Barrier Reef Marine Park Authority (GBRMPA)": the acronym in brackets is no part of the name.
    if (name.length > 0 && t.pre.includes("(")) break;
    if (!(capital(t) || /^\d/.test(t.text) || (name.length === 0 && t.key === "the") || (["of", "for", "and"].includes(t.key) && name.length > 0 && capital(tokens[i + 1] ?? t)))) break;
    name.push(t);
    if (/[,;:.!?]/.test(t.post)) break;
  }
  // "from the Turkish foreign ministry": lower-case words running on to an institution's noun are part of its name.
  const last = name.at(-1);
  if (last && capital(last) && !/[,;:.!?]/.test(last.post)) {
    const next = tokens.slice(last.index + 1, last.index + 4);
    const end = next.findIndex((t, k) => ORG_HEADS.has(singular(t.key)) && next.slice(0, k + 1).every((w, j) => !w.quoted && !capital(w) && (j === k || !/[,;:.!?]/.test(w.post))));
    name.push(...next.slice(0, end + 1));
  }
  return name.some((t) => capital(t) || t.tags.has("Organization")) ? name : [];
}
