import { readFileSync } from "node:fs";
import { extractProposals } from "../src/proposal/extract";
const body = readFileSync(process.argv[2], "utf8");
for (const p of extractProposals(body, [
    { id: "ministry", name: "Ministry of Health", kind: "GOVERNMENT_AGENCY", aliases: ["Health Ministry"] },
    { id: "lopez", name: "Maria Lopez", kind: "PERSON", aliases: [] },
  ])) console.log(p.pattern, p.confidence, p.speaker.resolution, p.speaker.name, p.speaker.gender, "|", p.text.slice(0, 90));
