import { databaseKinds } from "./support/harness";
import { useProposalDesk } from "./support/proposalDesk";

// Rules of English news attribution, each on a short invented article sent through the API: who a
// title, a role description, a pronoun or a lede's description refers to, and what a sentence's subject is.
describe.each(databaseKinds())("attribution rules through claimProposals on %s", (kind) => {
  const { proposalsFor, speakerOf } = useProposalDesk(kind, "Attribution desk");

  test("a title before a name is a role, not part of the name; “the Premier” is the person given that title", async () => {
    const proposals = await proposalsFor(
      "Tasmanian Premier Jane Holloway said on Monday that the ferry would resume in March.\n\n" +
        "Opposition leader Sam Ortiz said the delay had cost the state millions.\n\n" +
        "Ms Holloway said the repairs had taken longer than expected.\n\n" +
        "“We will not cut corners,” she said.\n\n" +
        "Mr Ortiz said the government had known for a year. Later, the Premier said the state would cover the cost.",
    );
    const holloway = proposals.filter((p) => p.proposedSource?.name === "Jane Holloway");
    expect(holloway.map((p) => p.text)).toEqual([
      expect.stringContaining("ferry would resume"),
      expect.stringContaining("repairs had taken"),
      "We will not cut corners",
      expect.stringContaining("cover the cost"),
    ]);
    expect(holloway[0].proposedSource).toMatchObject({ kind: "PERSON", role: expect.stringContaining("Premier") });
    expect(proposals.find((p) => p.text.includes("cover the cost"))).toMatchObject({ resolution: "DESCRIPTION", speaker: { text: "the Premier" } });
    expect(proposals.some((p) => /premier/i.test(p.proposedSource?.name ?? ""))).toBe(false);
  });

  test("“the judge” is the person introduced as a Justice, not the person last named", async () => {
    const proposals = await proposalsFor(
      "Justice Alan Price heard the application on Tuesday.\n\n" +
        "The accused, Mark Doyle, said he had been at home that night.\n\n" +
        "“Mr Doyle, answer the question you were asked,” the judge said.",
    );
    expect(speakerOf(proposals, "answer the question")).toBe("Alan Price");
    expect(speakerOf(proposals, "at home that night")).toBe("Mark Doyle");
  });

  test("an aside between dashes is skipped on the way back to the subject", async () => {
    const proposals = await proposalsFor(
      "Eastbrook District Council – which runs Westfield Library and Mill Road Pool – said the closures would save £2m a year.\n\n" +
        "The union — which represents Westfield Library staff — said the cuts were short-sighted.",
    );
    expect(speakerOf(proposals, "closures would save")).toBe("Eastbrook District Council");
    expect(speakerOf(proposals, "cuts were short-sighted")).not.toBe("Westfield Library staff");
  });

  test("a lede's indefinite description is the person named at the start of the next paragraph", async () => {
    const proposals = await proposalsFor(
      "A senior hospital director said on Tuesday that waiting lists in the region had doubled in a year.\n\n" +
        "Maria Olsen was speaking at a board meeting in Leeds, where she described the winter as the hardest she had known.\n\n" +
        "A nurse said the wards were full every night.",
    );
    expect(speakerOf(proposals, "waiting lists")).toBe("Maria Olsen");
    // Only the lede's description waits for a name: a later one names nobody the desk can check.
    expect(speakerOf(proposals, "wards were full")).not.toBe("Maria Olsen");
  });

  test("“she said” after an institution's spokeswoman is the institution", async () => {
    const proposals = await proposalsFor(
      "A Harbour Police spokeswoman said the officer had been suspended on full pay.\n\n" +
        "She said: “We cannot comment further while the inquiry continues.”\n\n" +
        "She said the force would publish the findings.",
    );
    for (const words of ["suspended on full pay", "cannot comment further", "publish the findings"]) expect(speakerOf(proposals, words)).toBe("Harbour Police");
  });

  test("verbs that report only with something said after them; adding to, objecting and being told are not claims of the subject", async () => {
    const proposals = await proposalsFor(
      "Northwind Foods posted a quarterly profit of $3 million. Its founder, Ada Brooks, posted on Facebook that the figures were a turning point.\n\n" +
        "Councillor Ray Patel expressed interest in a new plan. Councillor Lena Ford expressed concern that the plan ignored flooding.\n\n" +
        "The striker adds to the club’s injury list with a torn hamstring. The manager dismissed an offer from Leeds. The owner rejected claims that the club was for sale.\n\n" +
        "Judge Ruth Cole ruled the evidence admissible, even though Patel repeatedly objected.\n\n" +
        "A witness for the defence was yesterday told his evidence would not be heard.",
    );
    expect(proposals.map((p) => p.text)).toEqual([
      expect.stringContaining("the figures were a turning point"),
      expect.stringContaining("the plan ignored flooding"),
      expect.stringContaining("the club was for sale"),
    ]);
    expect(speakerOf(proposals, "turning point")).toBe("Ada Brooks");
    expect(speakerOf(proposals, "ignored flooding")).toBe("Lena Ford");
  });

  test("a verb of saying inside another's reported clause is content, not an attribution", async () => {
    const proposals = await proposalsFor("While insisting that the agency had announced new rules, Minister Omar Haddad said the changes would wait until spring.");
    expect(proposals.length).toBeGreaterThan(0);
    for (const p of proposals) expect(p.proposedSource?.name).toBe("Omar Haddad");
  });

  test("a pronoun after paragraphs that name nobody is the last person named", async () => {
    const proposals = await proposalsFor(
      "The Minister of Health, Dr. Grace Obi, has said that the country is ready to detect the virus.\n\n" +
        "The virus has spread to 14 countries since January.\n\n" +
        "Thousands of travellers have been screened at the main airports.\n\n" +
        "Speaking at the launch of a testing centre in Lagos, she said: “We are prepared for the worst.”",
    );
    expect(speakerOf(proposals, "prepared for the worst")).toBe("Grace Obi");
  });

  test("a participle of saying after the main verb is a claim of the main clause's subject", async () => {
    const proposals = await proposalsFor(
      "Mayor Jo Kent criticised the way the flood response was handled saying the council had ignored every warning.\n\n" +
        "The hearing was under way when defence lawyer Sam Reed interjected, suggesting that the witness was guessing.\n\n" +
        "Senator Ana Ruiz confirmed the meeting, telling reporters she had asked for a delay.",
    );
    expect(speakerOf(proposals, "the way the flood response was handled")).toBe("Jo Kent");
    expect(proposals.find((p) => p.text.startsWith("saying the council"))?.proposedSource?.name).toBe("Jo Kent");
    expect(speakerOf(proposals, "the witness was guessing")).toBe("Sam Reed");
    // With nothing said before the participle, the participle alone is the claim.
    const ruiz = proposals.filter((p) => p.proposedSource?.name === "Ana Ruiz");
    expect(ruiz.map((p) => p.text)).toEqual([expect.stringMatching(/^telling reporters she had asked for a delay/)]);
  });

  test("institutions: an acronym in brackets, “the agency”, “the centre”, a council spokesperson, and collectives that are not “the company”", async () => {
    const proposals = await proposalsFor(
      "The Kenya Institute for Water Safety (KIWS) has confirmed nine new cases of cholera in the coastal counties of Kilifi and Mombasa.\n\n" +
        "In its weekly bulletin, the agency said the cases were recorded in Kilifi, Lamu and Kwale counties.\n\n" +
        "KIWS said it had sent testing kits to the three counties. The institute also noted that most patients were children.\n\n" +
        "A council spokesperson said: “Our clinics are open every day.”\n\n" +
        "Kilifi County Council has set up four treatment centres.\n\n" +
        "Analysts at Mercer Group said the outbreak would slow tourism. The company also said bookings had fallen.",
    );
    for (const words of ["nine new cases", "cases were recorded", "sent testing kits", "most patients were children"]) {
      expect(speakerOf(proposals, words)).toBe("Kenya Institute for Water Safety");
    }
    // "A council spokesperson" speaks for the council the article names (here after the quote).
    expect(speakerOf(proposals, "clinics are open")).toBe("Kilifi County Council");
    // "Kilifi, Lamu and Kwale counties" ends a sentence; it attributes nothing.
    expect(proposals.some((p) => /Kwale/.test(p.proposedSource?.name ?? ""))).toBe(false);
    // Analysts spoke, but "the company" is an institution: Mercer Group, named beside them.
    expect(speakerOf(proposals, "bookings had fallen")).toBe("Mercer Group");
  });

  test("a name the tagger does not know, after a title in apposition, is the speaker; a quotation closing a clause ends it", async () => {
    const proposals = await proposalsFor(
      "The Director-General of the agency, Dr Ifeoma Chukwudebe, said testing had doubled.\n\n" +
        "Analysts at Halden Bank said the figures were “better than feared,” while Corvin Securities analyst Tomas Rieger said the rebound would not last.",
    );
    expect(speakerOf(proposals, "testing had doubled")).toBe("Ifeoma Chukwudebe");
    expect(speakerOf(proposals, "rebound would not last")).toBe("Tomas Rieger");
    expect(proposals.find((p) => p.text.includes("better than feared"))?.text).not.toContain("rebound");
  });

  test("a country's minister in the lede, “the 30-year-old”, a name given an age, and a quotation opening the next sentence", async () => {
    const proposals = await proposalsFor(
      "Estonia's foreign minister said on Thursday that the border talks had stalled.\n\n" +
        "Kadri Saar told reporters in Tallinn that the other side had walked out.\n\n" +
        "Police said Daniel Marsh, 31, of Hethersett, had been released on bail. Marsh said he was \"relieved\" to be home. \"It has been a long week,\" the 31-year-old added.\n\n" +
        "\"[The talks] are not over,\" Saar said. \"We will try again in May.",
    );
    expect(speakerOf(proposals, "border talks had stalled")).toBe("Kadri Saar");
    expect(speakerOf(proposals, "relieved")).toBe("Daniel Marsh");
    expect(proposals.find((p) => p.text === "It has been a long week")).toMatchObject({ pattern: "DIRECT", proposedSource: { name: "Daniel Marsh" } });
    expect(proposals.find((p) => p.text.startsWith("[The talks] are not over"))).toMatchObject({ pattern: "DIRECT", proposedSource: { name: "Kadri Saar" } });
    expect(speakerOf(proposals, "try again in May")).toBe("Kadri Saar");
  });

  test("“continued to tell” is the subject telling; “flagged the possibility of” puts forward a claim", async () => {
    const proposals = await proposalsFor(
      "Prosecutor Helen Ward continued to tell the jury that the phone records placed the accused at the scene.\n\n" +
        "Governor Paul Reyes has flagged the possibility of a second lockdown in the spring. He raised his hand.",
    );
    expect(speakerOf(proposals, "phone records placed")).toBe("Helen Ward");
    expect(speakerOf(proposals, "second lockdown")).toBe("Paul Reyes");
    expect(speakerOf(proposals, "raised his hand")).toBeUndefined();
  });

  test("an office's portfolio and a name's initials: “Minister for Harbour Affairs Tomas Reyes”, “Home Minister R K Mehta”; “the Confederation of Island Industry” is no person", async () => {
    const proposals = await proposalsFor(
      "Minister for Harbour Affairs Tomas Reyes said the port would reopen in May.\n\n" +
        "Home Minister R K Mehta told reporters the curfew would end on Friday.\n\n" +
        "The Confederation of Island Industry said exports had fallen by a fifth.",
    );
    expect(speakerOf(proposals, "port would reopen")).toBe("Tomas Reyes");
    expect(speakerOf(proposals, "curfew would end")).toBe("R K Mehta");
    expect(speakerOf(proposals, "exports had fallen")).toBe("Confederation of Island Industry");
    const lettered = await proposalsFor(
      "Judge Sarah Munro QC told Doyle: “You showed no remorse.”\n\nChelsea boss Enzo Maresca said: “We were not good enough.” The Italian added that his side needed to improve.",
    );
    expect(speakerOf(lettered, "no remorse")).toBe("Sarah Munro");
    expect(speakerOf(lettered, "needed to improve")).toBe("Enzo Maresca");
  });

  test("institutions: a lower-case ministry, a hyphenated name, “the telecoms group”, “Unions”, a company owning profits, “and Prevention”", async () => {
    const proposals = await proposalsFor(
      "Talks stalled on Friday, according to a statement from the Norwegian fisheries ministry.\n\n" +
        "Kestrel Telecom said it would cut 900 jobs. The telecoms group said the cuts would be voluntary. Unions said they would strike.\n\n" +
        "A man was arrested, according to a release from the Westvale-Ashby Police Service.\n\n" +
        "“Vaccines work,” said the Centers for Disease Control and Prevention.",
    );
    expect(speakerOf(proposals, "Talks stalled")).toBe("Norwegian fisheries ministry");
    expect(speakerOf(proposals, "cuts would be voluntary")).toBe("Kestrel Telecom");
    expect(speakerOf(proposals, "would strike")).toBe("Unions");
    expect(speakerOf(proposals, "man was arrested")).toBe("Westvale-Ashby Police Service");
    expect(speakerOf(proposals, "Vaccines work")).toBe("Centers for Disease Control and Prevention");
    const owned = await proposalsFor(
      "Brightwater's profit fell 12 per cent, the company said on Thursday.\n\n" +
        "Unemployment rose to 5 per cent, according to figures published by the Office for National Statistics. Profits beat forecasts, according to data compiled by Refinitiv.",
    );
    expect(speakerOf(owned, "profit fell")).toBe("Brightwater");
    expect(speakerOf(owned, "Unemployment rose")).toBe("Office for National Statistics");
    expect(speakerOf(owned, "Profits beat forecasts")).toBe("Refinitiv");
    const titled = await proposalsFor(
      "UAW President Shawn Fain said workers would not back down. The union said 9,000 members were on strike.\n\n" +
        "Norfolk Police said a man had been arrested. A police spokesman said enquiries were ongoing.",
    );
    expect(speakerOf(titled, "9,000 members")).toBe("UAW");
    expect(speakerOf(titled, "enquiries were ongoing")).toBe("Norfolk Police");
  });

  test("cues: an infinitive of purpose, a colon after a clause, “replied” next to a quotation, a progressive, a partial quotation running on", async () => {
    const proposals = await proposalsFor(
      "Mayor Ana Ruiz took to Facebook to say the festival had been cancelled.\n\n" +
        "Cr Dale Pike was blunt: “This is a waste of money.”\n\n" +
        "Asked whether she would resign, Ms Ruiz replied: “Never.”\n\n" +
        "Cr Pike said Ms Ruiz was stressing for an early vote although no date had been set.\n\n" +
        "Police said a man had “thrown a brick,” and fled towards the river.",
    );
    expect(speakerOf(proposals, "festival had been cancelled")).toBe("Ana Ruiz");
    expect(proposals.find((p) => p.text === "This is a waste of money.")).toMatchObject({ pattern: "DIRECT", proposedSource: { name: "Dale Pike" } });
    expect(proposals.find((p) => p.text === "Never.")).toMatchObject({ pattern: "DIRECT", proposedSource: { name: "Ana Ruiz" } });
    const stressing = proposals.filter((p) => p.text.includes("stressing") || p.text.includes("no date"));
    expect(stressing).toEqual([expect.objectContaining({ text: expect.stringContaining("although no date had been set"), proposedSource: expect.objectContaining({ name: "Dale Pike" }) })]);
    expect(proposals.find((p) => p.text.includes("thrown a brick"))?.text).toContain("fled towards the river");
  });

  test("a report speaks for whoever released it; “disclosed this” says nothing itself; “according to her”; “said the letter”; “the health system”", async () => {
    const proposals = await proposalsFor(
      "The Eastland Disease Agency (EDA) has confirmed 14 new cases of cholera.\n\n" +
        "The public health agency disclosed this in its weekly situation report released on Monday.\n\n" +
        "According to the report, the fatality rate is 3 per cent.\n\n" +
        "The report stated that Arn and Bolo states accounted for most cases.",
    );
    expect(speakerOf(proposals, "fatality rate")).toBe("Eastland Disease Agency");
    expect(speakerOf(proposals, "accounted for most cases")).toBe("Eastland Disease Agency");
    expect(proposals.some((p) => p.text.includes("disclosed this"))).toBe(false);
    const letter = await proposalsFor(
      "Lakeside Health wrote to parents on Tuesday, saying that no pupil had been infected.\n\n" +
        "“The risk to children remains low,” said the letter.\n\n" +
        "The health system said that all cases would be reported. Police Chief Ann Smith said the suspect fled. According to her, he was armed.",
    );
    expect(speakerOf(letter, "risk to children")).toBe("Lakeside Health");
    expect(speakerOf(letter, "all cases would be reported")).toBe("Lakeside Health");
    expect(speakerOf(letter, "he was armed")).toBe("Ann Smith");
  });

  test("an audience told something by nobody named hears the last speaker: “The court heard that …”, “The jury was further told that …”; not orders", async () => {
    const proposals = await proposalsFor(
      "Mark Doyle, 34, denies murder. Prosecutor Jane Hill said he had planned the attack.\n\n" +
        "The court heard that Doyle had bought a knife a week earlier. The jury was further told that he had lied to police.\n\n" +
        "Residents were told to leave their homes. The meeting heard from residents.",
    );
    expect(speakerOf(proposals, "bought a knife")).toBe("Jane Hill");
    expect(speakerOf(proposals, "lied to police")).toBe("Jane Hill");
    expect(speakerOf(proposals, "leave their homes")).toBeUndefined();
    expect(speakerOf(proposals, "from residents")).toBeUndefined();
  });

  test("a participial lead is a claim of the main clause's subject, and the main verb keeps its own; not “Speaking at”, not “Saying goodbye”", async () => {
    const proposals = await proposalsFor(
      "Insisting the club was not for sale, owner Tom Berry walked out of the meeting.\n\n" +
        "Warning that cuts were coming, Finance Minister Ana Costa said a hiring freeze would start in May.\n\n" +
        "Speaking at a press conference, Jo Lin said the plant would close. Saying goodbye to fans, Lin thanked the club.",
    );
    expect(proposals.find((p) => p.text === "the club was not for sale")).toMatchObject({ proposedSource: { name: "Tom Berry" } });
    expect(proposals.find((p) => p.text === "cuts were coming")).toMatchObject({ proposedSource: { name: "Ana Costa" } });
    expect(proposals.find((p) => p.text.includes("hiring freeze"))?.text).not.toContain("cuts were coming");
    expect(speakerOf(proposals, "plant would close")).toBe("Jo Lin");
    expect(proposals.some((p) => p.text.includes("press conference") && !p.text.includes("plant would close"))).toBe(false);
    expect(speakerOf(proposals, "goodbye")).toBeUndefined();
    const aside = await proposalsFor("Governor Ben Ayade said the state would build clinics. He, however, noted that the state needed more funds.");
    expect(speakerOf(aside, "needed more funds")).toBe("Ben Ayade");
  });

  test("titles and descriptions from local, Irish and business copy: a title used again, a lede's councillor, plural titles, what a company does", async () => {
    const proposals = await proposalsFor(
      "A Kerry county councillor has claimed that the closure was planned in secret.\n\n" +
        "The offices of Fine Gael councillors Aoife Brennan and Liam Walsh were visited by officials on Monday.\n\n" +
        "Independent TD Maura Quinlan said the decision was \"regrettable\". Cllrs Brennan and Walsh rebuked the council on Tuesday. Cllr Brennan said the vote would be challenged.\n\n" +
        "Kerry county manager Tom Foley said the site was unsafe. Later, Kerry county manager said the building would be sold.\n\n" +
        "Irish dairy maker Glanbrook Foods Cos. said Wednesday profit fell 12%. The company said it would close two plants.",
    );
    expect(speakerOf(proposals, "planned in secret")).toBe("Aoife Brennan");
    expect(speakerOf(proposals, "regrettable")).toBe("Maura Quinlan");
    expect(speakerOf(proposals, "would be challenged")).toBe("Aoife Brennan");
    expect(speakerOf(proposals, "would be sold")).toBe("Tom Foley");
    expect(speakerOf(proposals, "profit fell 12%")).toBe("Glanbrook Foods Cos");
    expect(speakerOf(proposals, "close two plants")).toBe("Glanbrook Foods Cos");
    const misread = await proposalsFor(
      "Nordcranes said demand was weak. Analysts had forecast a profit of 20 cents a share.\n\n" +
        "Ten cases were confirmed in Edo and Rivers states, the Federal Government has said.",
    );
    expect(speakerOf(misread, "demand was weak")).toBe("Nordcranes");
    expect(speakerOf(misread, "20 cents")).toBe("Analysts");
    expect(speakerOf(misread, "Ten cases")).toBe("Federal Government");
  });

  test("what is not a claim (advice, a topic, a challenge) and what still is (asides, inverted appositives, a quotation after a paragraph about its speaker)", async () => {
    const proposals = await proposalsFor(
      "Advising the board to “think again”, Mayor Rita Vance said the budget was unlawful. Vance warned residents about sharing false posts. She challenged the council to publish the figures.\n\n" +
        "Speaking of the late “true gentleman,” councillor Pat Roche said: “He never missed a meeting.”\n\n" +
        "Pat Roche was visibly moved by the tributes.\n\n" +
        "“It was the saddest day of my time on the council.”\n\n" +
        "Sales fell in the quarter, said Owen Clarke, an analyst at Bexley Capital. He insisted, though, that the brand was strong.\n\n" +
        "Health director Dr. Ada Obi, in a statement released in Lagos, on Friday, disclosed that ten labs could now test for the virus.",
    );
    // The advice is no claim of its own: only the sentence's reported clause is proposed.
    expect(proposals.filter((p) => p.text.includes("think again")).every((p) => p.text.includes("budget was unlawful"))).toBe(true);
    expect(speakerOf(proposals, "budget was unlawful")).toBe("Rita Vance");
    expect(speakerOf(proposals, "false posts")).toBeUndefined();
    expect(speakerOf(proposals, "publish the figures")).toBeUndefined();
    expect(speakerOf(proposals, "true gentleman")).toBeUndefined();
    expect(speakerOf(proposals, "never missed a meeting")).toBe("Pat Roche");
    expect(speakerOf(proposals, "saddest day")).toBe("Pat Roche");
    expect(speakerOf(proposals, "Sales fell")).toBe("Owen Clarke");
    expect(speakerOf(proposals, "brand was strong")).toBe("Owen Clarke");
    expect(speakerOf(proposals, "ten labs")).toBe("Ada Obi");
  });

  test("who speaks past a fronted phrase, a relative clause or a reporting outlet: a role in apposition, “In a statement, X said”, “According to AP, X said”, “which she alleged”", async () => {
    const proposals = await proposalsFor(
      "The Minister of State for Communications, Kofi Mensah, has rejected the claims.\n\n" +
        "Speaking at a briefing on Monday, June 2, the Minister, who is also a party spokesman, stated that “the figures are wrong,” and accused the opposition of misleading voters.\n\n" +
        "In a statement, COO and CFO Dana Pryce said “Atlas” has remained “a strong brand.” “We are cutting costs,” she said.\n\n" +
        "According to The Associated Press, Lee Tan said in court that the money was a loan.\n\n" +
        "The row stems from Ama Boateng’s complaint about the tender of the Volta Port, which she alleged was rigged.",
    );
    expect(speakerOf(proposals, "figures are wrong")).toBe("Kofi Mensah");
    expect(speakerOf(proposals, "misleading voters")).toBe("Kofi Mensah");
    expect(speakerOf(proposals, "a strong brand")).toBe("Dana Pryce");
    expect(speakerOf(proposals, "cutting costs")).toBe("Dana Pryce");
    expect(speakerOf(proposals, "money was a loan")).toBe("Lee Tan");
    expect(speakerOf(proposals, "was rigged")).toBe("Ama Boateng");
  });

  test("a lede's “two senators”, “was only joking when he said …”, “per Refinitiv”, “the council saying”, “in which the governor reassured”, “called it “…”, saying”, “dismissed claims of …”; no claim in a chanted order, “a press briefing”, “urged people to refrain”, “reporting its earnings” or “I would urge everyone … to attend”", async () => {
    const proposals = await proposalsFor(
      "It is a mistake to cut the clinic budget, two senators said Tuesday.\n\n" +
        "Governor Ray Cole said at a televised meeting of the cabinet that he was only joking when he said the clinics would close.\n\n" +
        "Sen. Maria Ortega said the cuts would hurt patients. Police said they arrested a man at the rally. The arrest drew protesters who chanted, “Save our clinics now!”\n\n" +
        "Ortega addressed the media at a press briefing at the Hilton school on Friday. She urged people to refrain from violence. Ortega praised the doctor who treated the first patient, adding that the vote was not final.\n\n" +
        "Revenue was $2 billion, per Refinitiv. Shares in Acme Foods fell 9 percent after reporting its third-quarter earnings.\n\n" +
        "Cole clarified that no clinic would be sold, and rebuffed the county council saying on Monday that two sites were for sale. The vote followed a hearing in which the governor reassured nurses that their jobs were safe.\n\n" +
        "Mayor Ann Lee called the plan “reckless”, saying it would cost jobs.\n\n" +
        "Cole dismissed claims of a cover-up, asserting that the tender was fair. “I would urge everyone who lives here to attend the hearing,” he said.",
    );
    expect(speakerOf(proposals, "mistake to cut")).toBe("Maria Ortega");
    expect(proposals.find((p) => p.text.includes("only joking"))).toMatchObject({ text: expect.stringContaining("clinics would close"), proposedSource: { name: "Ray Cole" } });
    expect(speakerOf(proposals, "clinics now")).toBeUndefined();
    expect(speakerOf(proposals, "Hilton school")).toBeUndefined();
    expect(speakerOf(proposals, "refrain from violence")).toBeUndefined();
    expect(speakerOf(proposals, "vote was not final")).toBe("Maria Ortega");
    expect(speakerOf(proposals, "$2 billion")).toBe("Refinitiv");
    expect(speakerOf(proposals, "third-quarter earnings")).toBeUndefined();
    // A participle of saying right after its own noun is that noun's; a relative clause's subject speaks.
    expect(proposals.find((p) => p.text.includes("no clinic would be sold"))).toMatchObject({ proposedSource: { name: "Ray Cole" } });
    expect(proposals.find((p) => p.text.includes("no clinic would be sold"))?.text).not.toContain("two sites");
    expect(speakerOf(proposals, "two sites were for sale")).toMatch(/county council/i);
    expect(speakerOf(proposals, "jobs were safe")).toBe("Ray Cole");
    // A participle of saying after a partial quotation's clause is a claim of its own.
    expect(proposals.find((p) => p.text.includes("reckless"))?.text).not.toContain("cost jobs");
    expect(speakerOf(proposals, "cost jobs")).toBe("Ann Lee");
    // Dismissing claims denies them, a claim of its own; a request in the first person is none.
    expect(proposals.find((p) => p.text.includes("claims of a cover-up"))).toMatchObject({ proposedSource: { name: "Ray Cole" } });
    expect(proposals.find((p) => p.text.includes("claims of a cover-up"))?.text).not.toContain("tender was fair");
    expect(speakerOf(proposals, "tender was fair")).toBe("Ray Cole");
    expect(speakerOf(proposals, "attend the hearing")).toBeUndefined();
  });
});
