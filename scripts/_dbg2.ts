import { analyse } from "../src/proposal/text";
import { extractProposals } from "../src/proposal/extract";
const body = "“I think this is a delicate balancing act indeed for interventionists in government,” wrote Faysal Itani, deputy director at the Center for Global Policy, in an email three days before Soleimani’s death. “They have lofty goals against Iran especially in light of what they inherited.\n\n“Their best bet is to squeeze the Iranians as much as possible.”\n\nBut the maximum pressure campaign seemed to collapse after a missile attack on a Saudi oil refinery in September. U.S. officials blamed Iran, and Trump hinted at a violent response, but none came.";
const t = analyse(body);
for (const u of t.units) console.log(u.paragraph, u.first, u.last, JSON.stringify(u.quotes), t.tokens.slice(u.first, u.last+1).map(x=>x.text).join(" ").slice(0,80));
for (const p of extractProposals(body, [])) console.log(p.pattern, p.speaker.name, p.text.slice(0, 60));
