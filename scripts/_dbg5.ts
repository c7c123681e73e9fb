import { extractProposals } from "../src/proposal/extract";
const t = "Experts close to the Trump administration had predicted that hawks were beginning to overcome Trump’s instincts against escalation, only a few months before presidential elections.";
console.log(extractProposals(t, [{ id: "x", name: "Experts close to the Trump administration", kind: "OTHER", aliases: ["experts"] }]).map(p => [p.speaker.name, p.speaker.sourceId, p.text]));
import { analyse } from "../src/proposal/text";
console.log(analyse(t).tokens.map(x => `${x.text}/${[...x.tags].join(",")}/${x.lemma}`).join(" "));
