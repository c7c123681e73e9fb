import { readFileSync } from "node:fs";
import { analyse } from "../src/proposal/text";
import { extractProposals } from "../src/proposal/extract";
const body = readFileSync(process.argv[2], "utf8");
const pat = process.argv[3];
const t = analyse(body);
if (pat) for (const u of t.units) { const s = t.tokens.slice(u.first, u.last+1); if (s.map(x=>x.text).join(" ").includes(pat)) console.log(s.map(x=>`${x.text}/${[...x.tags].filter(g=>["Verb","Gerund","Noun","ProperNoun","Person","Place","Auxiliary","Adjective","Preposition","Conjunction"].includes(g)).join("")}`).join(" "), JSON.stringify(u.quotes)); }
for (const p of extractProposals(body, [])) console.log(p.pattern, p.confidence, p.speaker.resolution, p.speaker.name, "|", p.text.slice(0, 90));
