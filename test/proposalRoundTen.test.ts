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

  test("a name with several asides between commas; “told AP he planned to …” is no order; a negated “tell … how to” is a claim", async () => {
    const proposals = await proposalsFor(
      "Ilona Vasquez, a retired teacher from Dayton, Ohio, said the new schedule had cost her family two days a week.\n\n" +
        "Sen. Orrin Kettle, R-Utah, a long-shot candidate for the nomination, said the plan would never pass.\n\n" +
        "Dario Fenn, 44, an electrician, said the outage lasted six hours.\n\n" +
        "Mayor Lise Obuya told AP she planned to stay neutral in the primary.\n\n" +
        "\"I cannot tell voters how to behave,\" Obuya said.\n\n" +
        "Fenn told the crowd to stay calm.",
    );
    expect(speakerOf(proposals, "cost her family")).toBe("Ilona Vasquez");
    expect(speakerOf(proposals, "never pass")).toBe("Orrin Kettle");
    expect(speakerOf(proposals, "lasted six hours")).toBe("Dario Fenn");
    expect(speakerOf(proposals, "stay neutral")).toBe("Lise Obuya");
    expect(speakerOf(proposals, "how to behave")).toBe("Lise Obuya");
    expect(proposals.some((p) => p.text.includes("stay calm"))).toBe(false);
  });

  test("“Cameron's spokesman”, “His campaign”, “Her office” speak for the person; plain-text quotation marks and one paragraph per line", async () => {
    const proposals = await proposalsFor(
      "Prime Minister Edwin Calder spoke in parliament on Monday.\n" +
        "Calder’s spokesman said the prime minister stood by his comments.\n" +
        "Senator Ruth Okafor raised $3 million in the quarter.\n" +
        "Her campaign said she ended December with $9 million in cash.\n" +
        "''The money came from small donors,'' Okafor said.\n" +
        "“We are on track in every state.”\n" +
        "Calder declined to comment further.",
    );
    expect(speakerOf(proposals, "stood by his comments")).toBe("Edwin Calder");
    expect(speakerOf(proposals, "ended December")).toBe("Ruth Okafor");
    expect(speakerOf(proposals, "small donors")).toBe("Ruth Okafor");
    // A quotation standing alone on its line is the previous line's speaker's, not the next line's person's.
    expect(speakerOf(proposals, "on track in every state")).toBe("Ruth Okafor");
  });

  test("“…,” campaign manager X said; a quotation after a thank-you goes on from its speaker; “…, X said, adding …” and “…, X said, and …”", async () => {
    const proposals = await proposalsFor(
      "\"The early states matter, but they award only 4 percent of the delegates,\" campaign manager Rhys Allard said.\n\n" +
        "\"Thank you Nell Parr for everything!\" Senator Ana Kruger said Tuesday. \"Nell reminded everyone that the shelters are full.\"\n\n" +
        "The two leaders will meet sometime next week, Allard said, adding, \"They need to sit down and talk.\"\n\n" +
        "The sanctions usually keep sensitive files away from careless staff, analyst Moira Quist said, and with the aides chastened it is safe to assume they will not repeat it.",
    );
    expect(speakerOf(proposals, "4 percent of the delegates")).toBe("Rhys Allard");
    expect(speakerOf(proposals, "shelters are full")).toBe("Ana Kruger");
    expect(proposals.some((p) => p.text.includes("Thank you Nell"))).toBe(false);
    expect(speakerOf(proposals, "meet sometime next week")).toBe("Rhys Allard");
    expect(speakerOf(proposals, "need to sit down")).toBe("Rhys Allard");
    expect(speakerOf(proposals, "away from careless staff")).toBe("Moira Quist");
  });

  test("people known by what they do speak as a collective; a passive or a participle of state is nobody's claim; titles before a given name", async () => {
    const proposals = await proposalsFor(
      "Hacking specialists say the leaked files might not even be genuine.\n\n" +
        "Arlo Venn is accused of plotting two other assaults in 2011.\n\n" +
        "Deputies are working to trace 285 of the 600 people reported missing.\n\n" +
        "\"I am not satisfied with that answer,\" said Sen. Angus Kingsley (Maine), an independent.\n\n" +
        "Council leader Vera Lund agreed, adding: \"We need to find a way forward.\"\n\n" +
        "\"I would urge anyone who is interested in the village to attend the meetings,\" Lund said.",
    );
    expect(speakerOf(proposals, "might not even be genuine")).toBe("Hacking specialists");
    expect(proposals.some((p) => p.text.includes("plotting two other assaults"))).toBe(false);
    expect(proposals.some((p) => p.text.includes("people reported missing"))).toBe(false);
    expect(speakerOf(proposals, "not satisfied with that answer")).toBe("Angus Kingsley");
    expect(speakerOf(proposals, "find a way forward")).toBe("Vera Lund");
    expect(proposals.some((p) => p.text.trim() === "Council leader Vera Lund agreed")).toBe(false);
    expect(proposals.some((p) => p.text.includes("urge anyone"))).toBe(false);
  });

  test("the review: a relative or a lawyer is not the person a story is about; a question's asker gives no answer; plain marks and inches", async () => {
    const proposals = await proposalsFor(
      "Singer Ann Marie Kerr died on Sunday. Her husband said she had been ill for months.\n\n" +
        "Ivan Rusk was charged on Monday. \"He will plead not guilty,\" his lawyer said.\n\n" +
        "\"Will you resign?\" reporter Beth Rigby asked the prime minister. \"I have done nothing wrong and I will not resign.\"\n\n" +
        "''We will fight on'', Dag Berg said.\n\n" +
        "Firefighters said a 3'' pipe burst on the third floor. \"We shut the water off at noon,\" Chief Dan Moore said.\n\n" +
        "Ahmed Said told reporters the talks had failed.\n\n" +
        "Police warned drivers who planned to travel to check the roads first.\n\n" +
        "The council met on Tuesday. \"We have no money left.\nWe cannot pay the staff,\" council leader Ann Byrne said\nafter the meeting.",
    );
    expect(proposals.some((p) => p.text.includes("ill for months"))).toBe(false);
    expect(proposals.some((p) => p.text.includes("plead not guilty"))).toBe(false);
    expect(proposals.some((p) => p.text.includes("done nothing wrong"))).toBe(false);
    expect(speakerOf(proposals, "fight on")).toBe("Dag Berg");
    expect(speakerOf(proposals, "shut the water off")).toBe("Dan Moore");
    expect(speakerOf(proposals, "talks had failed")).toBe("Ahmed Said");
    expect(proposals.some((p) => p.text.includes("check the roads"))).toBe(false);
    expect(proposals.find((p) => p.text.includes("cannot pay the staff"))?.text).toContain("no money left");
  });

  test("“told ABC's George …” (the tagger's adjective and its empty “is”); “the prosecutor” is who spoke or was given the role, not the defendant; an occupation before a given name", async () => {
    const proposals = await proposalsFor(
      "\"I am here to stay,\" Senator Ben Corliss told ABC's George Stephanopoulos.\n\n" +
        "Ivan Rusk was charged on Monday. The prosecutor said he had taken bribes for years.\n\n" +
        "Amanda Houle said the penalty was right. \"He chose to fight for an enemy,\" the prosecutor said.\n\n" +
        "Singer Ann Marie Kerr said the tour was off.",
    );
    expect(speakerOf(proposals, "here to stay")).toBe("Ben Corliss");
    expect(proposals.some((p) => p.text.includes("taken bribes"))).toBe(false);
    expect(speakerOf(proposals, "fight for an enemy")).toBe("Amanda Houle");
    expect(speakerOf(proposals, "tour was off")).toBe("Ann Marie Kerr");
  });

  test("a speaker's own question goes on to their statement, an asked one does not; “Don't worry, I …” states; “said retired neurosurgeon X”; “…, X said, so …”", async () => {
    const proposals = await proposalsFor(
      "\"Why is he attacking me?\" Senator Dora Vance said. \"He has to beat seven others before he gets to me.\"\n\n" +
        "\"Did you see him?\" prosecutor Ann Lee asked. \"I saw him leave the bar.\"\n\n" +
        "\"Don't worry, I am not leaving the stage no matter what you ask me,\" Vance said.\n\n" +
        "\"I am not going to call it a mistake,\" said retired surgeon Ben Carrow, asked about his claims.\n\n" +
        "It was impossible, analyst Ivo Gabuyev said, so the leaders decided to divide the labour.",
    );
    expect(speakerOf(proposals, "beat seven others")).toBe("Dora Vance");
    expect(proposals.some((p) => p.text.includes("leave the bar"))).toBe(false);
    expect(speakerOf(proposals, "not leaving the stage")).toBe("Dora Vance");
    expect(speakerOf(proposals, "call it a mistake")).toBe("Ben Carrow");
    expect(speakerOf(proposals, "It was impossible")).toBe("Ivo Gabuyev");
  });

  test("an aside with a participle (“an independent voter raised in Chile,”); “X confirmed it and said, “…”” is X's", async () => {
    const proposals = await proposalsFor(
      "Roxana Leon, 63, an independent voter raised in Chile, said she wanted major change in Washington.\n\n" +
        "Salma Hayek confirmed the account and said, \"America has a very severe problem with discrimination.\"",
    );
    expect(speakerOf(proposals, "major change")).toBe("Roxana Leon");
    expect(speakerOf(proposals, "severe problem")).toBe("Salma Hayek");
  });
});
