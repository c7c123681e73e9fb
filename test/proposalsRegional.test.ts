import { databaseKinds } from "./support/harness";
import { useProposalDesk } from "./support/proposalDesk";

// Attribution in copy the first rules were not written from — UK and Australian regional papers, Nigerian police
// statements, court reports from southern Africa, Indian wire copy — each pattern on a short invented article sent
// through the API.
describe.each(databaseKinds())("regional attribution patterns through claimProposals on %s", (kind) => {
  const { proposalsFor, speakerOf } = useProposalDesk(kind, "Regional desk");

  test("a police rank before a name is a title; “X's Twitter page” and “a spokesperson for X of Y Council” speak for X", async () => {
    const proposals = await proposalsFor(
      "The Ondo State Police Command spokesperson, DSP Ayo Okafor, said the suspects had confessed to the robbery.\n\n" +
        "According to Riverside Water's Twitter page, tankers would be sent to the affected estates by noon.\n\n" +
        "A spokesperson for North Fenwick of Dalesshire Council said: \"We are clearing the main roads first.\"",
    );
    expect(speakerOf(proposals, "confessed to the robbery")).toBe("Ayo Okafor");
    expect(speakerOf(proposals, "tankers would be sent")).toBe("Riverside Water");
    expect(speakerOf(proposals, "clearing the main roads")).toBe("North Fenwick of Dalesshire Council");
  });

  test("a lede's “its council leader has said” and “A councillor has claimed” are the role holders named paragraphs later", async () => {
    const proposals = await proposalsFor(
      "Potholes are \"out of hand\" across the district, its council leader has said.\n\n" +
        "Repairs on three roads near Ashby were delayed by the wet spring.\n\n" +
        "Ward councillor Tom Reddle said the contractor had missed every deadline.\n\n" +
        "Council leader Mary Ostlund said: \"We need a proper plan for the roads.\"",
    );
    expect(speakerOf(proposals, "out of hand")).toBe("Mary Ostlund");
    const second = await proposalsFor(
      "A councillor has claimed families in the north of the town hear the quarry blasting \"every single day\".\n\n" +
        "The claim came at a meeting about the quarry's licence.\n\n" +
        "Coun Priya Sandhu (Labour) said: \"It rattles the windows in my own street.\"",
    );
    expect(speakerOf(second, "quarry blasting")).toBe("Priya Sandhu");
    expect(speakerOf(second, "rattles the windows")).toBe("Priya Sandhu");
  });

  test("“the magistrate said:” past a fronted phrase; scolding and mocking verbs attribute; joint subjects go to the first named", async () => {
    const proposals = await proposalsFor(
      "Regional magistrate Ruth Chanda heard the bail application on Monday.\n\n" +
        "Before ruling, the magistrate chastised the prosecution for losing two dockets.\n\n" +
        "Defence lawyer Tom Banda mocked the State for taking a year to find its witnesses.\n\n" +
        "Turning to the defence, the magistrate said: \"Your client has not explained where he was.\"\n\n" +
        "State Premier Alana Brooks and Health Minister Owen Tate have defended the hospital, saying there is an \"unusual\" surge in flu cases.",
    );
    expect(speakerOf(proposals, "losing two dockets")).toBe("Ruth Chanda");
    expect(speakerOf(proposals, "a year to find its witnesses")).toBe("Tom Banda");
    expect(speakerOf(proposals, "has not explained")).toBe("Ruth Chanda");
    expect(speakerOf(proposals, "surge in flu cases")).toBe("Alana Brooks");
  });

  test("“adding that” continues the attribution, not the reported clause; “Others” name nobody", async () => {
    const proposals = await proposalsFor(
      "Transport Minister Raj Menon said that the opposition should first prove they have not taken bribes adding that \"even accusing requires ethics.\"\n\n" +
        "Others, however, have praised the minister's swift response.\n\n" +
        "Others in the party have claimed that the budget will be cut.",
    );
    expect(speakerOf(proposals, "even accusing")).toBe("Raj Menon");
    expect(proposals.some((p) => p.text.includes("swift response") || p.text.includes("budget will be cut"))).toBe(false);
  });

  test("not claims: “agreed, adding:” before the participle, “agreed to meet”, an order with a quoted fragment, a participle of emphasis with a topic", async () => {
    const proposals = await proposalsFor(
      "Council leader Anne Brodie agreed, adding: \"We need to find a way forward.\"\n\n" +
        "Brodie has agreed to meet residents next week.\n\n" +
        "Ward councillor Ian Moss called on the council to act and \"find a lasting solution\".\n\n" +
        "\"Our hospitals are busy right now,\" Brodie said, emphasizing her commitment to the new ward.",
    );
    expect(proposals.map((p) => p.text)).toEqual(["We need to find a way forward.", "Our hospitals are busy right now"]);
    expect(speakerOf(proposals, "way forward")).toBe("Anne Brodie");
  });

  test("“was quoted as saying” is the subject's claim; a verb of manner right after a quotation attributes it", async () => {
    const proposals = await proposalsFor(
      "Harbour master Colm Doyle was quoted as saying the pier would stay shut until spring.\n\n" +
        "The mayor, Ann Lee, was quoted by the Herald as saying that the budget would be cut by a fifth.\n\n" +
        "‘This is a disgrace,’ fumed Doyle.\n\n" +
        "“We were robbed,” he laughed.",
    );
    expect(proposals.find((p) => p.text.includes("pier would stay shut"))).toMatchObject({ text: "the pier would stay shut until spring.", proposedSource: { name: "Colm Doyle" } });
    expect(speakerOf(proposals, "cut by a fifth")).toBe("Ann Lee");
    expect(speakerOf(proposals, "This is a disgrace")).toBe("Colm Doyle");
    expect(speakerOf(proposals, "We were robbed")).toBe("Colm Doyle");
  });

  test("honorifics and ranks of Nigerian, South African, Canadian and British copy are titles; an abbreviated title's full stop ends no sentence", async () => {
    const proposals = await proposalsFor(
      "Alhaji Musa Bello said the market would reopen on Monday.\n\n" +
        "Kano State Governor Abba Yusuf said the state would recruit 5,000 teachers.\n\n" +
        "Engr. Ada Nwosu said the bridge would be completed by December.\n\n" +
        "Police spokesperson Brigadier Lindiwe Khoza said two suspects had been arrested.\n\n" +
        "The highway will reopen next week, said Const. Paul Tremblay.\n\n" +
        "PC Laura Hughes said: ‘We were called to the scene at 2am.’",
    );
    expect(speakerOf(proposals, "market would reopen")).toBe("Musa Bello");
    // A name the tagger takes for an organisation (a band's), after a title.
    expect(speakerOf(proposals, "recruit 5,000 teachers")).toBe("Abba Yusuf");
    expect(speakerOf(proposals, "bridge would be completed")).toBe("Ada Nwosu");
    expect(speakerOf(proposals, "two suspects")).toBe("Lindiwe Khoza");
    expect(speakerOf(proposals, "highway will reopen")).toBe("Paul Tremblay");
    expect(speakerOf(proposals, "called to the scene")).toBe("Laura Hughes");
  });

  test("“The 23-year-old … added that” reports the person just named, as “… , the 23-year-old added” already did", async () => {
    const proposals = await proposalsFor(
      "Winger Ben Osei told Radio Tyne: “I felt something in my hamstring.”\n\n" +
        "The 23-year-old, who has scored nine goals this season, added that he hoped to be back for the derby.",
    );
    expect(proposals.find((p) => p.text.includes("back for the derby"))).toMatchObject({ resolution: "DESCRIPTION", proposedSource: { name: "Ben Osei" } });
  });

  test("“the council” is the institution named a council, not the nearer party of a councillor's title; “a report to councillors” is not theirs", async () => {
    const proposals = await proposalsFor(
      "Marshfield Borough Council could close two libraries to save £400,000 a year.\n\n" +
        "Labour group leader Cllr Steve Hart described the plans as “shameful”.\n\n" +
        "The council says it will consult residents before a final decision is made.\n\n" +
        "A report to councillors says the Crown Street building is too costly to maintain.",
    );
    expect(speakerOf(proposals, "consult residents")).toBe("Marshfield Borough Council");
    // Those a report is sent to are its audience, never its author.
    expect(speakerOf(proposals, "too costly")).not.toBe("Councillors");
  });

  test("a verb of saying ending in a colon hands over to the quotation below, no claim of its own; a capitalised word the tagger reads as a verb opens a name", async () => {
    const proposals = await proposalsFor(
      "In a statement on Friday, Rovers said:\n\n" +
        "“We are saddened to announce the passing of our former captain.”\n\n" +
        "Police Scotland said: \"Officers were called at around 2.15am.\"",
    );
    expect(proposals.map((p) => p.text)).toEqual(["We are saddened to announce the passing of our former captain.", "Officers were called at around 2.15am."]);
    expect(speakerOf(proposals, "Officers were called")).toBe("Police Scotland");
  });

  test("dotted initials are part of a name; “Rs. 500” ends no sentence; “alleged that …, and that …” is one claim", async () => {
    const proposals = await proposalsFor(
      "Minister for Town Planning K.J. Menon said the flyover would be finished by March.\n\n" +
        "Former Chief Minister B.S. Rao had alleged that a minister had taken a bribe of Rs. 500 crore from the contractor, and that the contractor had admitted paying it.",
    );
    expect(speakerOf(proposals, "flyover would be finished")).toBe("K.J. Menon");
    const alleged = proposals.find((p) => p.text.includes("a bribe of"));
    expect(alleged).toMatchObject({ proposedSource: { name: "B.S. Rao" } });
    expect(alleged.text).toContain("admitted paying it");
  });
});

