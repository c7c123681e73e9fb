import { databaseKinds } from "./support/harness";
import { useProposalDesk } from "./support/proposalDesk";

// Proposals round 10: speakers' names as a desk would file them (no office, bracket or place in a person's name), and the
// constructions of full-length news a run over PolNeAR's training articles found missed, each on a short invented
// article through the API.
describe.each(databaseKinds())("round 10 names and constructions through claimProposals on %s", (kind) => {
  const { proposalsFor, speakerOf } = useProposalDesk(kind, "Round ten desk");

  test("a person's name carries no office, bracketed aside or seat; a relative clause and a note's owner", async () => {
    const proposals = await proposalsFor(
      "\"Nobody can miss this vote,\" Government Chief Whip Lorcan Tierney said.\n\n" +
        "When the mayor responded, DMK councillor R Pandiyan (Ward 12) accused him of silencing the opposition.\n\n" +
        "U.S. District Judge Amara Whitcombe in Boston said in a hearing that the schedule was too tight.\n\n" +
        "The timetable that Whitcombe set for the case would have the parties file briefs by May.\n\n" +
        "The flaw has since been fixed, according to Ilse Marek's follow-up note, which was published on Friday.",
    );
    expect(speakerOf(proposals, "Nobody can miss")).toBe("Lorcan Tierney");
    expect(speakerOf(proposals, "silencing the opposition")).toBe("R Pandiyan");
    expect(speakerOf(proposals, "schedule was too tight")).toBe("Amara Whitcombe");
    expect(proposals.some((p) => p.text.includes("file briefs by May"))).toBe(false);
    expect(speakerOf(proposals, "flaw has since been fixed")).toBe("Ilse Marek");
  });
});
