import { databaseKinds } from "./support/harness";
import { useProposalDesk } from "./support/proposalDesk";

// Proposals round 9: names, titles, references, documents and questions the first runs of 96 blind-annotated articles
// got wrong (local, national, wire, sport and business copy from five continents), each on a short invented article
// through the API; then the wrong speakers a review of those rules found.
describe.each(databaseKinds())("names, references, documents and questions through claimProposals on %s", (kind) => {
  const { proposalsFor, speakerOf } = useProposalDesk(kind, "Names desk");

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

  // Found by a review of round 9 (2026-12-07, a helper who wrote none of it): invented paragraphs in styles the round's
  // rules were not written for, where a rule gave a wrong speaker the extractor before it did not. Each failed before
  // its fix. A wrong speaker is worse for a desk than a missed claim.

  // speakers.ts: only the words PERSON_DESCRIPTIONS lists (and "the world number 17") are the person just named; any
  // lower-case description ("the eyewitness", "the union organiser") was.
  test("an unnamed witness or organiser introduced by a description is not the person named before", async () => {
    const proposals = await proposalsFor(
      "A bus carrying 30 pupils crashed near Leeds on Friday, police said. Headteacher Paul Grant praised the staff.\n\n" +
        "\"The children were screaming and the bus was on its side,\" the eyewitness said.\n\n" +
        "Senator Ruth Alvarez voted against the bill on Tuesday.\n\n" +
        "\"She has betrayed every nurse in this state,\" the union organiser said.\n\n" +
        "Police arrested Daniel Ortiz on Tuesday night after a shooting on Elm Street.\n\n" +
        "\"I heard three shots and then a car speeding away,\" the neighbour said.",
    );
    expect(speakerOf(proposals, "children were screaming")).not.toBe("Headteacher Paul Grant");
    expect(speakerOf(proposals, "betrayed every nurse")).not.toBe("Ruth Alvarez");
    expect(speakerOf(proposals, "heard three shots")).not.toBe("Daniel Ortiz");
  });

  // speakers.ts byNameOnly: a given name's guessed gender gives way ("Leslie Moonves … he said") only when no person of
  // the pronoun's gender goes unnamed in between; it made "she" the only man named and "he" the only woman.
  test("“he”/“she” with nobody of that gender named is not the person of the other gender", async () => {
    const proposals = await proposalsFor(
      "Officers arrested Robert Kane outside the bar shortly after midnight.\n\n" +
        "The woman, who cannot be named for legal reasons, gave evidence from behind a screen. \"He hit me first and then he took my phone,\" she told the court.\n\n" +
        "Jennifer Walsh coached the team for 12 years before stepping down in June.\n\n" +
        "Her husband manages the club's finances. He said the club had lost money every season since 2019.",
    );
    expect(speakerOf(proposals, "He hit me first")).not.toBe("Robert Kane");
    expect(speakerOf(proposals, "lost money every season")).not.toBe("Jennifer Walsh");
  });

  // subjects.ts closingAttribution: an outlet's ", Reuters reported." closing a named speaker's reported clause took the
  // whole sentence for the outlet.
  test("a named speaker's reported words closed by “, Reuters reported.” stay the named speaker's", async () => {
    const proposals = await proposalsFor(
      "Finance Minister Tomas Berg told reporters the budget would be balanced by 2027, Reuters reported.\n\n" +
        "Coach Dana White said the fighter had failed a drug test, ESPN reported on Tuesday.\n\n" +
        "Health Minister Ana Ruiz told parliament that waiting lists had fallen by 10 per cent, the Irish Times reported.",
    );
    expect(speakerOf(proposals, "budget would be balanced")).toBe("Tomas Berg");
    expect(speakerOf(proposals, "failed a drug test")).not.toBe("ESPN");
    expect(speakerOf(proposals, "waiting lists had fallen")).toBe("Ana Ruiz");
  });

  // documents.ts authorBefore: "the statement"/"the report" went back past a nearer statement or report that is someone
  // else's to an older one with a named author.
  test("“the statement” is not an earlier, different statement's issuer", async () => {
    const proposals = await proposalsFor(
      "In a statement from the Ministry of Health on Monday, officials said the outbreak was contained.\n\n" +
        "On Wednesday the Riverside Hospital chief executive, Dr Samuel Park, issued his own statement after three more patients fell ill.\n\n" +
        "The statement said the hospital had suspended all elective surgery.",
    );
    expect(speakerOf(proposals, "suspended all elective surgery")).not.toBe("Ministry of Health");
  });

  test("“the report” is not an older report's author when a newer report was published since", async () => {
    const proposals = await proposalsFor(
      "A 2019 report by the National Audit Office warned that the hospital's roof was failing.\n\n" +
        "On Tuesday the hospital trust published a new report on the building.\n\n" +
        "\"We have made the building safe,\" chief executive Helen Barr said.\n\n" +
        "The report said the roof could last another decade with repairs.",
    );
    expect(speakerOf(proposals, "another decade")).not.toBe("National Audit Office");
  });

  // people.ts SUFFIXES: "Sr" (a generational suffix) is also the Irish and British title for a nun, and was kept in the name.
  test("“Sr” before a given name is a nun's title, not part of her name", async () => {
    const proposals = await proposalsFor("Sr Mary Lyons, who runs the shelter, said demand had doubled. Lyons said the shelter would need more volunteers.");
    expect(speakerOf(proposals, "demand had doubled")).toBe("Mary Lyons");
  });
});
