"""The nine-part coproduction case template as data.

The parts, their order and their headings follow Batalden's template for developing
coproduction knowledge and skill (seed 001_542d3b6e0c979a23). The guiding questions are
paraphrased in our own words. Each part has a *first voice*: who is invited to speak first when
the group talks it through; no part belongs to one side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: Who is invited to speak first in a part.
FIRST_VOICES = ("each", "patient", "professional", "both")
#: The languages the template is written in.
LANGUAGES = ("en", "sv")

#: Which language to give the words in when none is asked for. The web app points this at
#: the language of the page being drawn; on the command line it is English.
_language: Callable[[], str] = lambda: "en"  # noqa: E731


def set_language_source(source: Callable[[], str]) -> None:
    global _language
    _language = source


@dataclass(frozen=True)
class Words:
    """A part's words in one language."""

    heading: str
    questions: tuple[str, ...]
    writes: str


@dataclass(frozen=True)
class Section:
    number: int
    key: str
    heading_en: str
    first_voice: str
    questions_en: tuple[str, ...]
    writes_en: str

    def words(self, language: str | None = None) -> Words:
        """The part's heading, guiding questions and summary in ``language`` (default: the
        page's language), falling back to English."""
        found = TRANSLATED.get(language or _language())
        if found is not None:
            return found[self.key]
        return Words(self.heading_en, self.questions_en, self.writes_en)

    @property
    def heading(self) -> str:
        return self.words().heading

    @property
    def questions(self) -> tuple[str, ...]:
        return self.words().questions

    @property
    def writes(self) -> str:
        return self.words().writes


SECTIONS: tuple[Section, ...] = (
    Section(1, "situation", "Situation", "each", (
        "Where does this take place, and what is going on around it?",
        "Who are you in this situation: what is your real role?",
        "What brought you into it?",
    ), "The setting, the context, your own role and what prompted your involvement."),
    Section(2, "patient_reality", 'Lived reality of the person sometimes known as "patient"',
            "patient", (
        "What does daily life look like for this person and their family on a bad day, "
        "and on a good one?",
        "What strengths, resources and people do they have?",
        "How do they reach those resources, and what support is there when a new need comes up?",
    ), "Life when sick and when not sick, assets and supports, and how they are reached."),
    Section(3, "emotions", "Emotions expressed", "both", (
        "What feelings do the person and their family express?",
        "How have those feelings shifted as the condition changed?",
        "What do the professionals involved feel?",
        "How do these feelings affect other people, and what helps?",
    ), "Feelings of the person, the family and the professionals, their effects, what helps."),
    Section(4, "navigation",
            'System navigation: barriers and facilitators in the "as is" system', "both", (
        "How do people get into the system as it is today?",
        "Are there clear, useful guides for the journey through it?",
        "When can the system be relied on, and when not? What surprises people?",
        "What helps with the unfamiliar language of health care?",
        "What is unknown, and how do people form their expectations?",
    ), "Access, guides, reliability, surprises, unknowns and expectations."),
    Section(5, "condition", "Knowledge of the patient's condition and implications",
            "professional", (
        "What is known about the basic biology of someone of this age?",
        "What counts as usual and unusual functioning for someone like this?",
        "How does the condition usually unfold for people like this?",
        "What was expected before the condition, and what might the future hold?",
    ), "Biology for this age, normal and abnormal, natural history, possible futures."),
    Section(6, "illness_experience", "Knowledge of having the illness", "both", (
        "What do studies of other people and families tell us about living with this, "
        "while ill and while recovering?",
        "Which adaptations have helped others, and might help here?",
        "Which resources have helped others, and how did they find and reach them?",
    ), "What studies of others show about living with it; adaptations and resources that helped."),
    Section(7, "microsystem",
            "Knowledge of the microsystem: helpful design and improvement", "both", (
        "What does good care for someone like this require?",
        "How reliable is each part of the service for this person?",
        "Which measures would help the team follow how the service is doing?",
        "What has the team done to lighten the burden of the illness and its treatment?",
        "What have earlier patients and families contributed to this service?",
    ), "What good care needs, reliability, measures, reducing burden, what families contributed."),
    Section(8, "professional_reality",
            'Lived reality of the person sometimes known as "professional"', "professional", (
        "What resources do the professionals use every day, and can they get them easily?",
        "Where do they find joy in the work?",
        "How do they add value to the work of the team?",
        "What support and tools do they need, and when are those available?",
    ), "Resources, access, joy in work, contribution, and the support and tools needed."),
    Section(9, "reflection", "So what? Now what? Reflections and plans", "both", (
        "What matters most here, and to whom?",
        "What did this case teach you, or remind you of?",
        "What small test of change or promise will each of you carry into practice?",
    ), "What matters most, what the case taught, and a test of change or promise for each."),
)

#: The template in Swedish: the same parts in our own Swedish words (not word for word).
SWEDISH: dict[str, Words] = {
    "situation": Words("Situationen", (
        "Var utspelar sig detta, och vad händer runt omkring?",
        "Vem är du i situationen: vilken är din verkliga roll?",
        "Vad förde dig in i den?",
    ), "Platsen, sammanhanget, din egen roll och vad som gjorde att du blev delaktig."),
    "patient_reality": Words("Vardagen för den som ibland kallas ”patient”", (
        "Hur ser vardagen ut för personen och familjen en dålig dag, och en bra dag?",
        "Vilka styrkor, resurser och människor har de?",
        "Hur når de resurserna, och vilket stöd finns när ett nytt behov dyker upp?",
    ), "Livet med och utan sjukdom, tillgångar och stöd, och hur de nås."),
    "emotions": Words("Känslor som uttrycks", (
        "Vilka känslor uttrycker personen och familjen?",
        "Hur har känslorna förändrats när tillståndet har förändrats?",
        "Vad känner de yrkesverksamma som är med?",
        "Hur påverkar känslorna andra, och vad hjälper?",
    ), "Personens, familjens och de yrkesverksammas känslor, vad de gör med andra och vad "
       "som hjälper."),
    "navigation": Words("Att hitta i vården: hinder och hjälp i systemet ”som det är”", (
        "Hur kommer man in i systemet som det ser ut i dag?",
        "Finns det tydliga och användbara vägvisare genom det?",
        "När går det att lita på systemet, och när inte? Vad överraskar?",
        "Vad hjälper när vårdens språk är främmande?",
        "Vad är okänt, och hur skapar människor sina förväntningar?",
    ), "Vägen in, vägvisare, pålitlighet, överraskningar, det okända och förväntningar."),
    "condition": Words("Kunskap om patientens tillstånd och vad det innebär", (
        "Vad vet vi om grundläggande biologi hos någon i den här åldern?",
        "Vad räknas som vanlig och ovanlig funktion för någon som den här personen?",
        "Hur brukar tillståndet utvecklas för personer som den här?",
        "Vad väntade man sig före tillståndet, och hur kan framtiden se ut?",
    ), "Biologi för åldern, det vanliga och det ovanliga, sjukdomens förlopp, möjliga "
       "framtider."),
    "illness_experience": Words("Kunskap om att leva med sjukdomen", (
        "Vad säger studier av andra personer och familjer om att leva med detta, under "
        "sjukdomen och när man återhämtar sig?",
        "Vilka anpassningar har hjälpt andra och kan hjälpa här?",
        "Vilka resurser har hjälpt andra, och hur hittade och nådde de dem?",
    ), "Vad studier av andra visar om att leva med det, och anpassningar och resurser som "
       "hjälpt."),
    "microsystem": Words("Kunskap om mikrosystemet: utformning och förbättring som hjälper", (
        "Vad krävs för god vård åt någon som den här personen?",
        "Hur pålitlig är varje del av verksamheten för den här personen?",
        "Vilka mått skulle hjälpa teamet att följa hur verksamheten fungerar?",
        "Vad har teamet gjort för att minska bördan av sjukdomen och behandlingen?",
        "Vad har tidigare patienter och familjer bidragit med till verksamheten?",
    ), "Vad god vård kräver, pålitlighet, mått, minskad börda och vad familjer har bidragit "
       "med."),
    "professional_reality": Words("Vardagen för den som ibland kallas ”yrkesverksam”", (
        "Vilka resurser använder de yrkesverksamma varje dag, och är de lätta att få tag på?",
        "Var hittar de glädje i arbetet?",
        "Hur bidrar de till teamets arbete?",
        "Vilket stöd och vilka verktyg behöver de, och när finns de?",
    ), "Resurser, tillgång, glädje i arbetet, bidrag och det stöd och de verktyg som behövs."),
    "reflection": Words("Så vad? Vad nu? Reflektioner och planer", (
        "Vad är viktigast här, och för vem?",
        "Vad lärde fallet dig, eller vad påminde det dig om?",
        "Vilket litet förändringstest eller löfte tar var och en av er med ut i praktiken?",
    ), "Det viktigaste, vad fallet lärde er och ett förändringstest eller löfte för var och "
       "en."),
}

KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS)
BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}

#: Parts meant to be read together (CONTENT-GUIDE §1): general knowledge joined to this
#: person's need, and the "as is" system joined to its redesign.
LINKS: tuple[tuple[str, str], ...] = (
    ("condition", "patient_reality"),
    ("illness_experience", "patient_reality"),
    ("microsystem", "navigation"),
)


def shown_in(language: str | None = None) -> str:
    """The language the template's words are shown in for ``language`` (default: the page's):
    itself when the template is written in it, else English."""
    language = language or _language()
    return language if language in TRANSLATED else "en"


def linked(key: str) -> tuple[str, ...]:
    """The parts read together with ``key``, in template order."""
    others = {b for a, b in LINKS if a == key} | {a for a, b in LINKS if b == key}
    return tuple(k for k in KEYS if k in others)


#: The template in each language other than English (a third language adds its nine parts
#: here; see docs/translating.md).
TRANSLATED: dict[str, dict[str, Words]] = {"sv": SWEDISH}
