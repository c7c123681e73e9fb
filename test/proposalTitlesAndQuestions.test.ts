import { databaseKinds } from "./support/harness";
import { useProposalDesk } from "./support/proposalDesk";

// Proposals round 9: constructions the first runs of 32 blind-annotated articles missed (US and Canadian local
// copy, British and Irish courts and councils, wire markets copy, Pacific and Caribbean papers), each on a short
// invented article through the API.
describe.each(databaseKinds())("titles, documents and questions through claimProposals on %s", (kind) => {
  const { proposalsFor, speakerOf } = useProposalDesk(kind, "Titles desk");

  test("the name in apposition after a description; hyphenated and Irish titles; “Jr.” is part of the name", async () => {
    const proposals = await proposalsFor(
      "Union president Rory Vance said the plant had been profitable for years.\n\n" +
        "\"It is just a shame that they would do this,\" said the union's vice president, Ada Kellerman.\n\n" +
        "\"We won. What else is there to say?\" declared attorney-at-law Hollis Brand after the ruling.\n\n" +
        "Det Garda Fergal Tierney told the court the accused made no reply.\n\n" +
        "Central bank Deputy Governor Mateo Lacson Jr. said inflation would ease. Lacson added that rates would hold.",
    );
    expect(speakerOf(proposals, "just a shame")).toBe("Ada Kellerman");
    expect(speakerOf(proposals, "We won")).toBe("Hollis Brand");
    expect(speakerOf(proposals, "made no reply")).toBe("Fergal Tierney");
    expect(speakerOf(proposals, "inflation would ease")).toBe("Mateo Lacson Jr");
    expect(speakerOf(proposals, "rates would hold")).toBe("Mateo Lacson Jr");
  });

  test("“the report” is its author's, named with an earlier mention of it, not whoever described the report", async () => {
    const proposals = await proposalsFor(
      "The outlook for the lagoon has been downgraded to \"very poor\" by the state's five-year review.\n\n" +
        "The report written by the Coastal Waters Authority (CWA) was described by its chair Idris Lamb as \"sobering\".\n\n" +
        "The report said warming was the most significant threat to the lagoon.\n\n" +
        "\"Actions taken now will matter,\" the report said.",
    );
    expect(speakerOf(proposals, "most significant threat")).toBe("Coastal Waters Authority");
    expect(speakerOf(proposals, "Actions taken now")).toBe("Coastal Waters Authority");
  });

  test("a quotation of plain questions is no claim; a rhetorical one that states something is", async () => {
    const proposals = await proposalsFor(
      "\"Did they really buy us to close us?\" asked the union's treasurer, Dov Perl.\n\n" +
        "\"What happened there? Does anybody know?\" manager Cal Rooney said after the match.\n\n" +
        "\"I don't have an army - what sort of coup are we talking about?\" Opposition leader Bram Nolte said.",
    );
    expect(proposals.some((p) => p.text.includes("buy us to close us"))).toBe(false);
    expect(proposals.some((p) => p.text.includes("What happened there"))).toBe(false);
    expect(speakerOf(proposals, "have an army")).toBe("Bram Nolte");
  });

  test("a list and an idiom stay inside the reported clause; “says” after an unknown name; a participle after a dash", async () => {
    const proposals = await proposalsFor(
      "Attorney-at-law Keon Vail, representing the station, said the ruling protected the press, the public's right to know, and the right to report, especially as it relates to officials.\n\n" +
        "Governor Tane Orrick said the country enjoys low inflation, low unemployment, and stability but this position must never be taken for granted.\n\n" +
        "Officials said the outbreak has peaked, but cases may rise as people seek care and reports are sent in.\n\n" +
        "Sgt Wren Dalloway is leading the inquiry. Dalloway says based on the findings so far, the crash followed a dispute.\n\n" +
        "Mayor Pell Oduya declined to say what he will do next – saying, \"it is a topic for another day.\"",
    );
    const whole = (words: string) => proposals.filter((p) => p.text.includes(words));
    expect(whole("especially as it relates").map((p) => p.text)).toEqual([expect.stringContaining("protected the press")]);
    expect(whole("taken for granted").map((p) => p.text)).toEqual([expect.stringContaining("enjoys low inflation")]);
    expect(whole("reports are sent in").map((p) => p.text)).toEqual([expect.stringContaining("outbreak has peaked")]);
    expect(speakerOf(proposals, "followed a dispute")).toBe("Wren Dalloway");
    expect(speakerOf(proposals, "topic for another day")).toBe("Pell Oduya");
  });

  test("a description only a person is called is the person just named; a spokesman is who “he” means next", async () => {
    const proposals = await proposalsFor(
      "Noah Kessler scorched to the 100 metres gold on Saturday night.\n\n" +
        "However, the new World Champion stated that he is not ready to be the face of athletics.\n\n" +
        "Iris Valdane lost in straight sets on Monday. The two-time Western Open semi-finalist claimed she had been distracted.\n\n" +
        "The trust's chief executive, Omar Wyld, commented on the figures last week.\n\n" +
        "A spokesman for the Department of Care rubbished the leaked report.\n\n" +
        "He said: \"We do not recognise these figures.\"\n\n" +
        "In Leeds, Quarrow blames supply problems and the weather for the shutdown of its plant.",
    );
    expect(speakerOf(proposals, "not ready to be the face")).toBe("Noah Kessler");
    expect(speakerOf(proposals, "had been distracted")).toBe("Iris Valdane");
    expect(speakerOf(proposals, "do not recognise")).toBe("Department of Care");
    expect(speakerOf(proposals, "supply problems")).toBe("Quarrow");
    expect(proposals.some((p) => /Champion|semi-finalist/i.test(p.proposedSource?.name ?? ""))).toBe(false);
  });

  test("a quotation ending on “to” still hands over; surnames that are verbs; a given name's guessed gender when nobody else fits; “New” opens a place", async () => {
    const proposals = await proposalsFor(
      "Leslie Dunmore spoke at the show on Wednesday. \"That was the main reason,\" he said.\n\n" +
        "\"She would be someone that we would like to talk to,\" said Sen. Corwin Hale, D - VA.\n\n" +
        "Piers Marks batted for six hours. Marks also conceded that the side could not capitalise on the small moments.\n\n" +
        "Tobin Rhee lost in the final, in which he repeatedly swore at the chair umpire.\n\n" +
        "New Zealand Rugby said on Thursday it had not agreed to the schedule.\n\n" +
        "Alastair Brook made 60. \"We were not good enough,\" said the England opener.\n\n" +
        "Fergus Dunne won the title. Referees had been fair all season, the Scot said.",
    );
    expect(speakerOf(proposals, "like to talk to")).toBe("Corwin Hale");
    expect(speakerOf(proposals, "could not capitalise")).toBe("Piers Marks");
    expect(speakerOf(proposals, "main reason")).toBe("Leslie Dunmore");
    expect(proposals.some((p) => p.text.includes("swore at"))).toBe(false);
    expect(speakerOf(proposals, "had not agreed")).toBe("New Zealand Rugby");
    expect(speakerOf(proposals, "not good enough")).toBe("Alastair Brook");
    expect(speakerOf(proposals, "fair all season")).toBe("Fergus Dunne");
  });

  test("romanised names with a hyphen; a sentence closed by its attribution is that speaker's; “the statement” is its issuer's", async () => {
    const proposals = await proposalsFor(
      "Party Legislator Kuan Mei-ling said the caucus would file a complaint.\n\n" +
        "The FDA condemns the RLP for using violence, FDA spokesman Ho Wen-tsai said.\n\n" +
        "According to a news release from the Harbour Department of Public Safety, the shooting happened at 4:30 p.m.\n\n" +
        "Sheriff Dale Ormond said he had asked state police to investigate.\n\n" +
        "\"A news conference will be scheduled as soon as possible,\" the news release stated.",
    );
    expect(speakerOf(proposals, "file a complaint")).toBe("Kuan Mei-ling");
    expect(speakerOf(proposals, "for using violence")).toBe("Ho Wen-tsai");
    expect(speakerOf(proposals, "news conference will be scheduled")).toBe("Harbour Department of Public Safety");
  });
});
