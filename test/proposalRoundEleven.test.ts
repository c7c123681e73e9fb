import { databaseKinds } from "./support/harness";
import { useProposalDesk } from "./support/proposalDesk";

// Proposals round 11: constructions a fresh batch of 30 blind-annotated articles (and PolNeAR's training articles) showed
// missed or misattributed, each on a short invented article through the API.
describe.each(databaseKinds())("round 11 constructions through claimProposals on %s", (kind) => {
  const { proposalsFor, speakerOf } = useProposalDesk(kind, "Round eleven desk");

  test("a retort (“hit back”, “shot back”) and a participle with its listener (“telling supporters, …”) hand the quotation to their subject", async () => {
    const proposals = await proposalsFor(
      "Governor Miles Aubert criticised Senator Dana Whitlow over the budget on Monday.\n\n" +
        "Whitlow hit back, “The governor has not read the bill.”\n\n" +
        "“Nobody in this state believes that,” Aubert shot back.\n\n" +
        "Whitlow later took to the stage in Dayton, telling supporters, “We will pass it before the summer.”\n\n" +
        "Aubert spoke to farmers in Lima, warning them: “The levy will double.”",
    );
    expect(speakerOf(proposals, "has not read the bill")).toBe("Dana Whitlow");
    expect(speakerOf(proposals, "Nobody in this state")).toBe("Miles Aubert");
    expect(speakerOf(proposals, "before the summer")).toBe("Dana Whitlow");
    expect(speakerOf(proposals, "levy will double")).toBe("Miles Aubert");
    // The participle and its listener are no claim of their own.
    expect(proposals.some((p) => /^(telling supporters|warning them)$/.test(p.text))).toBe(false);
  });

  test("“…, a spokesman for X said”, “…, said a spokeswoman for X” speak for X; a stance with nothing stated is no claim", async () => {
    const proposals = await proposalsFor(
      "The talks will resume in Oslo on Thursday, a spokesman for the Norwegian Foreign Ministry said.\n\n" +
        "The plant will close by December, said a spokeswoman for Hallard Dairy Cooperative.\n\n" +
        "Councillor Rhea Banerji criticised the decision.\n\n" +
        "Banerji slammed the closure as a betrayal of the town.",
    );
    expect(speakerOf(proposals, "resume in Oslo")).toBe("Norwegian Foreign Ministry");
    expect(speakerOf(proposals, "close by December")).toBe("Hallard Dairy Cooperative");
    expect(proposals.some((p) => p.text.includes("criticised the decision"))).toBe(false);
    expect(speakerOf(proposals, "betrayal of the town")).toBe("Rhea Banerji");
  });

  test("“In a statement to the BBC, the regulator said …” is the regulator's, named under a longer and a shorter name", async () => {
    const proposals = await proposalsFor(
      "The Data Protection Commission of Ireland opened an inquiry into Tweetly last year.\n\n" +
        "The Data Protection Commission said on Monday it would widen the inquiry.\n\n" +
        "In a statement to the BBC, the regulator said that “further datasets have been offered for sale.”",
    );
    expect(speakerOf(proposals, "further datasets")).toMatch(/^Data Protection Commission/);
  });

  test("a partial quotation closed by an inverted attribution (“…,” said X, an analyst at Y) is X's, and so is the next “he said”", async () => {
    const proposals = await proposalsFor(
      "Chief executive Robert Dunmore said output rose in the quarter.\n\n" +
        'NOC is "highlighting stronger trading earnings," said Ian Redfern, an analyst at Carrow Securities in London.\n\n' +
        '"Shares are likely to rise today" on "excellent" results, he said.',
    );
    expect(speakerOf(proposals, "highlighting stronger trading")).toBe("Ian Redfern");
    expect(speakerOf(proposals, "likely to rise today")).toBe("Ian Redfern");
  });
});
