import { ID_CAP } from "../graphql/inputCaps";

/**
 * Checks on a WebSocket message before graphql-ws reads it. graphql-ws echoes a ping's payload in
 * its pong through JSON.stringify, which is recursive: a ping nested 30,000 arrays deep (60 KB)
 * overflowed the stack, closed the socket with 4500 and logged an error per message. It also keeps
 * any subscription id (up to the message size, 100 KB) and repeats it in every event it sends.
 */

/** Deepest nesting of arrays and objects a message may have: a watch filter needs three or four levels. */
export const MAX_MESSAGE_DEPTH = 64;

/** Whether the JSON text nests arrays and objects deeper than `max`: one pass, strings skipped. */
function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Why a message is refused (the client's mistake, close code 4400), or null to hand it to graphql-ws. */
export function refusedMessage(text: string): string | null {
  if (nestedDeeperThan(text, MAX_MESSAGE_DEPTH)) return `message nested deeper than ${MAX_MESSAGE_DEPTH} levels`;
  // An id longer than the cap makes the message longer than it: shorter ones need no parse here.
  if (text.length <= ID_CAP) return null;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return null; // graphql-ws refuses it with its own reason
  }
  const id = (message as { id?: unknown } | null)?.id;
  return typeof id === "string" && id.length > ID_CAP ? `subscription id longer than ${ID_CAP} characters` : null;
}
