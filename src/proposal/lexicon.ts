/**
 * Word lists the extractor's rules stand on. The verbs of communication follow VerbNet's classes
 * 37.x (transfer of message, tell, manner of speaking, instrument of communication, talk, say,
 * complain, advise, overstate, promise), as BBC R&D's Citron uses them for cue verbs, plus the
 * judgement verbs newswriting uses as attributions (accuse, blame, charge: VerbNet 33) and the verbs
 * of naming that carry a partial quote (call, describe as, label, brand: VerbNet 29.3).
 */
const words = (list: string) => new Set(list.trim().split(/\s+/));

/** VerbNet 37.1, 37.2, 37.7 (say): verbs whose object or complement is what was said. */
const SAY = words(`
  say tell write add ask reply answer explain note warn vow declare state announce claim insist argue tweet post
  continue recall remark observe conclude acknowledge admit concede stress emphasize emphasise complain predict
  promise pledge threaten urge suggest confirm deny allege assert maintain respond testify caution counter retort
  joke boast lament plead demand advise contend estimate recommend propose disclose reveal report repeat reiterate
  mention indicate signal hint imply affirm aver avow attest certify swear guarantee assure inform notify remind
  brief relay cite quote recount narrate relate convey express voice describe characterize characterise forecast
  project calculate reckon figure opine surmise speculate theorize posit muse reason counsel forewarn reassure
  explain clarify elaborate specify stipulate concur agree disagree dispute object protest rebut refute reject
  dismiss downplay play acknowledge confess divulge proclaim pronounce decree mention quip exclaim shout mutter
  whisper scream yell cry murmur sigh snap bark growl grumble moan gripe fret rue lament bemoan decry denounce
  condemn criticize criticise slam blast praise hail laud commend welcome applaud accuse blame charge fault
  credit label brand dub call term tout question doubt challenge highlight underline underscore flag point
  acknowledge concede grant allow vow talk speak find show comment reaffirm restate submit intimate confide echo
  rubbish debunk chastise castigate berate lambast lambaste rebuke reprimand admonish scold censure excoriate
  mock ridicule deride taunt`);
/** Verbs that report speech only with a particular particle ("pointed to", "played down"). */
export const NEEDS_PARTICLE: Record<string, string[]> = {
  point: ["to", "out"],
  play: ["down"],
  respond: ["that", "with", "by"],
  reply: ["that", "with"],
  talk: ["about"],
  speak: ["about", "of"],
  // "especially as it relates to public officials" is about, not telling.
  relate: ["that", "how"],
  // "Clinton hit back, “…”", "shot back:", "fired back": a retort, only with "back".
  hit: ["back"],
  shoot: ["back"],
  fire: ["back"],
  strike: ["back"],
};
/** Verbs of evidence, a claim only with a clause after them ("the report found the batch was destroyed"). */
export const EVIDENCE_VERBS = words("find show reveal indicate suggest conclude");
/** Verbs attributing words in quotation marks ("…," she said). */
export const QUOTE_VERBS = new Set([...SAY, "call", "continue", "sum", "put", "explain", "write", "hit", "shoot", "fire", "strike"]);
/** Manner of speaking (VerbNet 37.3, 40.2): an attribution only right after a quotation ("“…,” he fumed", "“…,” laughed Smith"); a text's "read" ("“…,” the statement read"). */
export const AFTER_QUOTE_VERBS = new Set([...QUOTE_VERBS, ...words("fume rage enthuse gush thunder rant rave blurt stammer stutter laugh chuckle smile grin beam sneer scoff hiss sob read")]);
/** Verbs of reported speech without quotation marks ("X warned that …"). */
export const REPORT_VERBS = new Set([...SAY].filter((v) => !["ask", "continue", "call", "flag", "question", "welcome", "praise", "hail", "laud", "commend", "applaud", "credit"].includes(v)));
/** Verbs of naming that take an object and a quoted or descriptive complement ("called the move “reckless”"). */
export const NAMING_VERBS = words("call describe label brand dub term characterize characterise cite deem");
/** Verbs of naming and judging whose passive names the speaker after "by" ("was branded “reckless” by X"). */
export const PASSIVE_NAMING_VERBS = new Set([...NAMING_VERBS, ...words("criticize criticise condemn denounce dismiss slam blast hail praise deride ridicule mock")]);
/** Reported speech that accuses. */
export const ALLEGATION_VERBS = words("blame accuse allege charge point fault");
/** Orders and requests are not claims: "called on lawmakers to …", "urged residents to …", "challenged security agencies to …" with an infinitive. */
export const DIRECTIVE_VERBS = words("urge ask order demand implore advise tell call instruct direct request plead warn caution encourage challenge exhort beg remind invite appeal");

/** Words that may stand between a subject and its verb: auxiliaries, negation, adverbs of manner and time. */
export const BETWEEN = words(`
  had has have was were is are will would could also simply first later then reportedly previously publicly repeatedly
  once again already still never not separately privately recently quickly immediately initially subsequently further
  however meanwhile earlier today yesterday tonight flatly firmly openly angrily bluntly both all each too did does do`);
/** Words of the when and how of a statement ("on Tuesday", "in a statement"), not of its content. */
export const SETTING = words(`
  statement interview email briefing conference news post tweet speech release told reporters yesterday today earlier later
  week month year press hearing letter call phone television radio broadcast video podcast session meeting time`);
/** Pronouns of quantity that name nobody a desk can check when they stand alone ("Others said", "Some in the party claimed"). */
export const VAGUE_SUBJECTS = words("others some many several few most all");
export const CLAUSE_CONJUNCTIONS = words("and but although though while whereas as because yet so after");

/** Titles and roles that precede a name and are not part of it ("Rear Adm. John Kirby" is John Kirby; "Cr" an Australian councillor; "Independent TD Maureen O'Sullivan" an Irish deputy; "Cllrs Thomas and Walsh", "Sens. Warren and Sanders" plurals before two names; "CSP Benjamin Hundeyin", "SP", "DSP", "IGP": the police ranks Nigerian, Indian, Ghanaian and Kenyan copy writes before a name; "PC Sarah Jones", "DCI Helen Ward": British ones). */
export const TITLES = words(`
  mr mrs ms miss dr prof professor sir dame lord lady rev reverend sen senator rep representative gov governor
  president vice prime minister secretary deputy assistant under director general director-general chief chair
  chairman chairwoman chairperson ceo cfo coo executive leader majority minority speaker spokesman spokeswoman
  spokesperson press judge justice attorney prosecutor lawyer adm admiral rear gen lt col colonel maj major capt
  captain sgt sergeant cpl officer commander commissioner mayor ambassador envoy king queen prince princess
  sheikh emir ayatollah pope cardinal bishop patrol police fire state foreign defence defense health interior
  finance treasury cabinet shadow opposition house senate white federal national acting former new head coach
  manager boss striker defender midfielder goalkeeper captain founder owner analyst economist professor dean
  inspector superintendent constable detective agent director chancellor councillor councilman councilwoman
  garda mp mep td cllrs sens reps congressman congresswoman lawmaker legislator senior junior staff coun cllr supt insp det hon mla mpp msp atty
  premier member treasurer magistrate alderman alderwoman supervisor trustee cr undersecretary usec datuk dato datin seri tun
  csp sp dsp asp acp dcp cp aig dig igp ssp pc dc ds di dci dsi dcs pcso const cst brigadier brig lieutenant corporal
  commodore marshal warrant alhaji alhaja hajia comrade otunba mallam engr barr pastor prophet apostle evangelist
  winger fullback keeper forward batsman bowler whip sec secs pres amb asst cont cmdr comdr pvt cs
  sheriff undersheriff coroner warden auditor comptroller controller clerk assessor solicitor provost principal registrar
  ombudsman administrator trooper rabbi imam archbishop mufti assemblyman assemblywoman assemblymember selectman freeholder
  consul mca`);
/**
 * What an office is "for" or "of" ("Minister for Kashmir Affairs", "Secretary of State for Health", "Minister for
 * Water and Power"): the words of a portfolio that a name written straight after the office does not include.
 */
export const PORTFOLIOS = words(`
  affairs power water energy health education finance interior defence defense justice trade industry industries
  commerce transport transportation environment agriculture labour labor housing communities culture sport sports
  tourism information broadcasting planning development works resources security immigration home economy welfare
  employment science technology railways aviation petroleum mines mining fisheries telecommunications law relations
  revenue textiles exchequer services infrastructure investment pensions heritage media arts equality climate food
  farming forestry communications wales scotland ireland children youth women families elderly veterans`);
/** Titles written abbreviated with a full stop ("Coun. Anna Hopkins", "Sgt. Lee"): the stop does not end the name. */
export const TITLE_ABBREVIATIONS = words("mr mrs ms dr prof rev sen sens rep reps cllrs gov gen lt col maj capt sgt cpl adm coun cllr cr supt insp det hon atty const cst cont brig engr barr sec secs pres amb asst cmdr comdr pvt");
/** Name particles written in lower case inside a name ("Louis van Gaal"). */
export const NAME_PARTICLES = words("van von der de del della di da du le la al el bin ibn ben");

/** Nouns for a person by role: "the prosecutor said", "the former Nurnberg coach said". */
export const PERSON_ROLES = words(`
  official spokesman spokeswoman spokesperson minister president leader lawmaker senator legislator analyst expert
  researcher scientist economist diplomat commander general officer prosecutor critic activist witness resident
  aide adviser advisor lawyer attorney judge secretary ambassador governor mayor chief director ceo chairman
  chairwoman coach manager boss tactician gaffer head player striker captain doctor physician nurse professor
  teacher student mother father son daughter wife husband sister brother owner founder executive envoy negotiator
  candidate nominee chancellor premier king queen prince driver pilot victim survivor author writer investigator
  detective sheriff deputy inspector superintendent commissioner counsel defendant plaintiff juror chair politician
  councillor councilor councilman councilwoman alderman congressman congresswoman mp mep td magistrate coroner
  solicitor barrister registrar treasurer constable sergeant trustee campaigner surgeon paramedic pastor priest bishop
  cleric imam headteacher referee umpire winger goalkeeper defender midfielder`);
/** Plural or collective speakers a desk does track ("prosecutors", "health officials", "police"; "gardaí", Ireland's police). */
export const GROUP_NOUNS = words(`
  officials prosecutors police investigators authorities lawmakers senators republicans democrats analysts experts
  economists researchers scientists doctors residents witnesses organizers organisers protesters activists critics
  diplomats sources regulators inspectors firefighters rescuers militants rebels negotiators leaders ministers
  democrats conservatives liberals unions campaigners supporters opponents observers traders investors defence defense
  prosecution workers employees staff teachers nurses parents students families farmers fans voters economists bankers
  politicians neighbours neighbors members councillors commentators gardaí gardai officers`);
/** Words that end a company's name ("Acme Steel", "Delta Air Lines", "Nordic Holdings"): an organisation, not a person. */
export const COMPANY_WORDS = words(`
  steel motors airlines airline airways air lines energy foods food systems pharmaceuticals pharma technologies technology
  holdings partners capital media power oil gas mining industries solutions labs software electric communications telecom
  insurance financial securities investments logistics resources brands entertainment studios petroleum chemicals
  ltd llc plc inc corp co cos gmbh ag sa nv spa group bancorp railway railways shipping`);
/** Heads of "a ministry statement", "A Downing Street spokesman", "a spokesperson for the council": the speaker is what modifies them. */
export const VOICE_HEADS = words("spokesman spokeswoman spokesperson spokesmen spokeswomen statement release spokespeople representative report investigation inquiry review analysis study survey audit email letter data figure poll");
/**
 * What sport and profile copy calls the person it is about instead of repeating the name ("the new World Champion",
 * "the England opener", "the Scot").
 */
export const PERSON_DESCRIPTIONS = words(`
  champion finalist semi-finalist semifinalist winner runner-up medallist medalist veteran star youngster teenager rookie
  debutant opener skipper all-rounder spinner seamer paceman sprinter international holder seed scot brit kiwi aussie
  dutchman frenchman englishman welshman irishman scotsman swede dane finn pole spaniard
  singer singer-songwriter songwriter actor actress rapper musician comedian`);

/** Words that make a description of an institution one of its own ("the county council", "the state department"). */
export const JURISDICTIONS = words("county city district state federal regional local national provincial municipal borough parish town village metropolitan central");
/** Nouns for a person the article may leave unnamed, by the gender of the pronoun they take. */
export const UNNAMED_PEOPLE: Record<string, "m" | "f"> = Object.fromEntries([
  ..."woman girl mother wife daughter sister grandmother widow aunt niece lady".split(" ").map((w) => [w, "f"]),
  ..."man boy father husband son brother grandfather widower uncle nephew".split(" ").map((w) => [w, "m"]),
]);
/** Offices an institution's person holds, written "the head of X Name": not relatives, lawyers or coaches of someone. */
export const OFFICES = words("head chief president director chairman chairwoman chair leader commissioner secretary governor chancellor");
/** The prepositions after a voice that name whom it speaks for ("a spokesman for X", "a statement by X"). */
export const VOICE_LINKS = words("for of at from by");
/** Those who speak for the firm or institution they work at ("analysts at Citi", "said economists at ING"). */
export const STAFF = words("analysts economists strategists researchers scientists");

/** Verbs of asking: a quotation before one is a question put to someone, not that someone's claim. */
export const ASKING_VERBS = words("ask question inquire enquire quiz query");
/** Words opening a subordinate clause before a sentence's main clause ("After the plan failed, Berg said"). */
export const SUBORDINATE_OPENERS = words("after when because if before while since although though until unless once as");
/** Generational suffixes, part of the name ("Francisco Dakila Jr.", also "Dakila"), though the tagger calls them honorifics. */
export const SUFFIXES = words("jr sr");
/** Title words that are also surnames ("Edmund King", "Stephen Bishop"; not "Charlotte Fire", a city's fire service). */
export const SURNAME_TITLES = words("king bishop major judge marshal dean earl baron knight prior chamberlain sheriff");
/** -ing words that modify an office or a trade ("managing director", "motoring strategist"), not verbs taking an object. */
export const OFFICE_MODIFIERS = words(`
  managing marketing operating acting presiding consulting founding visiting leading ruling governing motoring
  reigning outgoing incoming supervising investigating arresting commanding coordinating nursing teaching training
  engineering accounting planning publishing banking trading lending polling sitting serving ranking organising
  organizing housing shipping mining farming fishing racing boxing sailing rowing swimming bowling batting
  fielding recruiting scouting`);
