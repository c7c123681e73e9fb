import { databaseKinds } from "./support/harness";
import { useProposalDesk } from "./support/proposalDesk";

// Proposals round 12: what a fifth fresh batch of blind-annotated articles and the development set showed missed, each on
// a short invented article through the API.
describe.each(databaseKinds())("round 12 constructions through claimProposals on %s", (kind) => {
  const { proposalsFor, speakerOf } = useProposalDesk(kind, "Round twelve desk");

  test("copy that dropped a quotation's opening mark, or glued its closing mark to the attribution, still hands the quotation over", async () => {
    const proposals = await proposalsFor(
      "Health minister Grace Odhiambo visited Kisumu on Monday.\n\n" +
        "The ministry is tracing every contact of the patients,” Odhiambo told reporters.\n\n" +
        "“We have enough vaccine for the county,”she said.\n\n" +
        "Coach Peter Lindqvist called the draw “a fair result” on Saturday.\n\n" +
        'We will be ready by the spring," Lindqvist said. "The squad is fit."',
    );
    expect(proposals.find((p) => p.text.startsWith("The ministry is tracing"))?.text).toBe("The ministry is tracing every contact of the patients");
    expect(speakerOf(proposals, "The ministry is tracing")).toBe("Grace Odhiambo");
    expect(speakerOf(proposals, "enough vaccine for the county")).toBe("Grace Odhiambo");
    expect(speakerOf(proposals, "ready by the spring")).toBe("Peter Lindqvist");
    expect(speakerOf(proposals, "The squad is fit")).toBe("Peter Lindqvist");
    expect(proposals.find((p) => p.text.startsWith("We will be ready"))?.text).toBe("We will be ready by the spring");
  });
});
