import { databaseKinds } from "./support/harness";
import { useProposalDesk } from "./support/proposalDesk";

// Proposals round 13: what an eighth fresh batch of blind-annotated articles and the development set showed wrong, each on
// a short invented article through the API.
describe.each(databaseKinds())("round 13 constructions through claimProposals on %s", (kind) => {
  const { proposalsFor, speakerOf } = useProposalDesk(kind, "Round thirteen desk");

  test("an abbreviated title inside the hand-over (“Finance Sec.”, “police Cont.”) neither ends the sentence nor hides the speaker", async () => {
    const proposals = await proposalsFor(
      "The tax bill passed its second reading on Tuesday.\n\n" +
        "“We hope the two chambers can settle the bill before Christmas,” Finance Sec. Carlos Dominguez said in a statement.\n\n" +
        '"There were concerns for public safety and for our officers," Winnipeg police Cont. Jason Michalyshen told the Sun.',
    );
    expect(speakerOf(proposals, "settle the bill before Christmas")).toBe("Carlos Dominguez");
    expect(speakerOf(proposals, "concerns for public safety")).toBe("Jason Michalyshen");
    // The attribution is no claim of its own.
    expect(proposals.filter((p) => /^(Finance Sec|Winnipeg police)/.test(p.text))).toEqual([]);
  });

  test("a name after an institution's bracketed initials or after a role is who spoke, not the institution", async () => {
    const proposals = await proposalsFor(
      "Leader of the Samagi Jana Balawegaya (SJB) Sajith Premadasa criticised the government for failing to cut taxes.\n\n" +
        "Private Hospitals Association of the Philippines Inc. (PHAPI) president Dr. Jose de Grano said dengue admissions had doubled.\n\n" +
        "Government negotiator Humberto de la Calle said the talks would resume in Havana.",
    );
    expect(speakerOf(proposals, "failing to cut taxes")).toBe("Sajith Premadasa");
    expect(speakerOf(proposals, "admissions had doubled")).toBe("Jose de Grano");
    expect(speakerOf(proposals, "resume in Havana")).toBe("Humberto de la Calle");
  });

  test("a time before the verb is no part of the speaker's name, nor a fronted time of the subject, nor a relative pronoun", async () => {
    const proposals = await proposalsFor(
      "Governor Philip Lowe this week told a conference an increase in the cash rate was plausible.\n\n" +
        "At the same time health authorities said their handling of the case was above board.\n\n" +
        "“I have no doubt he is mistaken,” said Sgt Eamon Cronin who added that the garda was highly experienced.",
    );
    expect(speakerOf(proposals, "cash rate was plausible")).toBe("Philip Lowe");
    expect(speakerOf(proposals, "above board")).toBe("Health authorities");
    expect(speakerOf(proposals, "highly experienced")).toBe("Eamon Cronin");
  });

  test("“the sheriff's office” is the Sheriff's Office named before; names keep their inner possessives; “The latest X figures” are X's", async () => {
    const proposals = await proposalsFor(
      "Deputy Ray Lopez, a 14-year employee of the Yavapai County Sheriff's Office, died on Tuesday.\n\n" +
        "The suspect fled to a nearby home after the shooting, the sheriff's office said.\n\n" +
        "The Ontario Nurses’ Association says about 25 hospitals were forced to cut services.\n\n" +
        "The latest Ministry of Health figures show 83 percent of two-year-olds are vaccinated.",
    );
    expect(speakerOf(proposals, "fled to a nearby home")).toBe("Yavapai County Sheriff's Office");
    expect(speakerOf(proposals, "25 hospitals")).toBe("Ontario Nurses’ Association");
    expect(speakerOf(proposals, "83 percent")).toBe("Ministry of Health");
  });
  test("“….”, X expressed” hands over; “did say” says; “the district” is the District named before; “X, who said” is X's", async () => {
    const proposals = await proposalsFor(
      "Pupils at Sage Canyon School in the Del Mar Union School District fell ill last week.\n\n" +
        "In an official statement, the district said it is treating the outbreak as norovirus.\n\n" +
        "“They do not need a parliament to keep those promises. Enough of those spectacles.”, Premadasa expressed.\n\n" +
        "Inspector Brian Maslowski did say that the suspect and the victim knew each other.\n\n" +
        "Moonves echoed the comments of News Corp. Chief Operating Officer Chase Carey, who said last month that Fox could move to cable.\n\n" +
        "“Squeeze them as hard as you can,” Faysal Itani, who has repeatedly briefed the government, told the paper in an email.",
    );
    expect(speakerOf(proposals, "treating the outbreak as norovirus")).toBe("Del Mar Union School District");
    expect(speakerOf(proposals, "Enough of those spectacles")).toBe("Premadasa");
    expect(speakerOf(proposals, "knew each other")).toBe("Brian Maslowski");
    expect(speakerOf(proposals, "Fox could move to cable")).toBe("Chase Carey");
    // A relative clause that is an aside before the main verb is the speaker's background, no claim.
    expect(proposals.filter((p) => p.text.includes("briefed the government"))).toEqual([]);
  });

  test("a fronted phrase with no comma (“After a brief adjournment the inspector said”) leaves the subject after its article", async () => {
    const proposals = await proposalsFor(
      "Inspector Michael McGarry told the court the accused had been arrested at his home.\n\n" +
        "After a brief adjournment the inspector said he was unable to produce the warrant.\n\n" +
        "“Six militants have been killed,” police spokesman Inspector A. K. Mathur said.",
    );
    expect(speakerOf(proposals, "unable to produce the warrant")).toBe("Michael McGarry");
    // (An initial is no article: the ninth batch's first run lost "A." from a name.)
    expect(speakerOf(proposals, "Six militants have been killed")).toMatch(/A K Mathur$/);
  });
  test("a wire lede's “…, the deputy leader of X said” is the person the next paragraph gives that role in apposition", async () => {
    const proposals = await proposalsFor(
      "BERLIN, Sept 30 (Reuters) – Germany’s parties should agree on coalition partners by mid-October, the deputy leader of the Christian Democrats said on Thursday.\n\n" +
        "“It must be clear by the middle of October which direction we are going in,” Jens Spahn, health minister and deputy CDU leader, told Deutschlandfunk.",
    );
    expect(speakerOf(proposals, "coalition partners by mid-October")).toBe("Jens Spahn");
    expect(speakerOf(proposals, "which direction we are going in")).toBe("Jens Spahn");
  });
  test("“County Sheriff David Rhodes” is Rhodes, and “the sheriff” is he, not the sheriff's deputy named first; other offices are titles too", async () => {
    const proposals = await proposalsFor(
      "Police arrested a suspect in the fatal shooting of a sheriff's deputy, 51-year-old Sergeant Rick Lopez, on Tuesday.\n\n" +
        "Residents called 911 to report an officer in distress, according to Yavapai County Sheriff David Rhodes.\n\n" +
        "The sheriff said investigators from the Department of Public Safety would review the shooting.\n\n" +
        "Assemblywoman Grace Meng said the county would pay for the funeral.",
    );
    expect(speakerOf(proposals, "an officer in distress")).toBe("David Rhodes");
    expect(speakerOf(proposals, "would review the shooting")).toBe("David Rhodes");
    expect(speakerOf(proposals, "pay for the funeral")).toBe("Grace Meng");
  });
  test("the review's cases: a sentence ending in a short name or “SEC.” still ends; “the defence” is no Ministry of Defence; a time inside an object and “X, which said” change nothing", async () => {
    const proposals = await proposalsFor(
      "“We are ready,” according to Wang. Officials said the index fell.\n\n" +
        "Tesla settled the case with the SEC. Musk said the deal was fair.\n\n" +
        "The case was reviewed by the Ministry of Defence. In court on Tuesday, the defence said the evidence was unreliable.\n\n" +
        "Nurses on the night shift said the ward was understaffed.\n\n" +
        "Texas's Department of Public Safety said the road was closed. The Texas Department of Public Safety said it would reopen on Monday.",
    );
    expect(speakerOf(proposals, "We are ready")).toBe("Wang");
    expect(speakerOf(proposals, "the index fell")).toBe("Officials");
    expect(speakerOf(proposals, "the deal was fair")).toBe("Musk");
    expect(speakerOf(proposals, "evidence was unreliable")).not.toBe("Ministry of Defence");
    expect(speakerOf(proposals, "understaffed")).toBe("Nurses");
    // One institution, one proposed name.
    expect(speakerOf(proposals, "the road was closed")).toBe("Texas Department of Public Safety");
    expect(speakerOf(proposals, "reopen on Monday")).toBe("Texas Department of Public Safety");
  });
  test("“….” he noted.” hands over; “said a spokeswoman at X, Name” is Name; a progressive (“was declaring, “…””) hands over", async () => {
    const proposals = await proposalsFor(
      "Health CS Mutahi Kagwe addressed the rumours on Monday.\n\n" +
        "“This is not true. It is immoral to mislead people about the virus.” he noted.\n\n" +
        '"So far we have no concrete indications of a target," said a spokeswoman at the prosecutor\'s office in Duisburg, Anna Weiler, on Thursday.\n\n' +
        "As polls closed, the president's representative Abdelaziz Belkhadem was declaring, “Our candidate has won.”",
    );
    expect(speakerOf(proposals, "immoral to mislead people")).toBe("Mutahi Kagwe");
    expect(speakerOf(proposals, "concrete indications of a target")).toBe("Anna Weiler");
    expect(speakerOf(proposals, "Our candidate has won")).toBe("Abdelaziz Belkhadem");
  });
  test("a stray comma between a name and its verb (“Mr John Chambers, stated:”) leaves the name the speaker", async () => {
    const proposals = await proposalsFor(
      "Cisco reported a third-quarter profit on Tuesday.\n\n" +
        'Cisco president and chief executive Mr John Chambers, stated: "We are very pleased with this quarter\'s performance."\n\n' +
        "The plan is dead, said a person familiar with the talks.",
    );
    expect(speakerOf(proposals, "very pleased")).toBe("John Chambers");
  });

  test("“quoted X as saying …” is X's claim, not the quoter's", async () => {
    const proposals = await proposalsFor(
      "Army spokesman Lt-Col Ajay Mathur briefed reporters in Srinagar.\n\n" +
        "Another report quoted Mathur as saying the clash began after troops sealed off a forested area.",
    );
    expect(speakerOf(proposals, "the clash began")).toBe("Ajay Mathur");
  });
});
