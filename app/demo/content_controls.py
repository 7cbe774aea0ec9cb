"""The demo's egenkontroller, the risks each follows up, and the checks carried out so far."""

from __future__ import annotations

from app.demo.content import Y1, Y2, Y3, CheckSpec, ControlSpec
from app.models import CheckOutcome, Frequency

OK, FOUND, SKIPPED = CheckOutcome.NO_REMARKS, CheckOutcome.DEFICIENCIES, CheckOutcome.NOT_PERFORMED

CONTROLS: tuple[ControlSpec, ...] = (
    ControlSpec(
        "bfe",
        "Journalgranskning av skydds- och förhandsbedömningar",
        "Journalgranskning, stickprov om 20 ärenden",
        Frequency.QUARTERLY,
        "agare@exempel.se",
        "Ett slumpvis urval av kvartalets anmälningar granskas: finns en motiverad skyddsbedömning från samma "
        "dag, är förhandsbedömningen klar inom 14 dagar, och har nya anmälningar i pågående ärenden "
        "förhandsbedömts?",
        ("fb-tid", "skydd-dokumentation", "ny-anmalan", "anmalan-registrering"),
        (
            CheckSpec((Y1, 5, 12), FOUND, "5 av 20 skyddsbedömningar saknades eller var gjorda dagen efter. "
                      "6 förhandsbedömningar var klara först efter 14 dagar."),
            CheckSpec((Y1, 11, 8), FOUND, "3 av 20 skyddsbedömningar saknar motivering. I två pågående ärenden "
                      "hade en ny anmälan inte förhandsbedömts."),
            CheckSpec((Y2, 3, 20), FOUND, "2 av 20 förhandsbedömningar tog längre tid än 14 dagar."),
            CheckSpec((Y2, 6, 14), OK),
            CheckSpec((Y2, 10, 2), OK, "Nya anmälningar i pågående ärenden hanterades enligt rutinen i alla "
                      "granskade fall."),
            CheckSpec((Y3, 4, 22), FOUND, "Alla skyddsbedömningar gjorda i tid, men 2 av 20 saknade motivering."),
            CheckSpec((Y3, 9, 10), OK),
        ),
    ),
    ControlSpec(
        "bfe",
        "Uppföljning av handläggningstider",
        "Statistikuppföljning ur verksamhetssystemet",
        Frequency.QUARTERLY,
        "chef@exempel.se",
        "Andelen förhandsbedömningar klara inom 14 dagar och utredningar klara inom fyra månader redovisas "
        "kvartalsvis i enhetens ledningsgrupp. Målet är 95 %.",
        ("fb-tid", "utredningstid"),
        (
            CheckSpec((Y1, 4, 5), FOUND, "Utredningar i tid: 52 %. Förhandsbedömningar i tid: 69 %."),
            CheckSpec((Y1, 10, 4), FOUND, "Utredningar i tid: 49 %. Förhandsbedömningar i tid: 71 %."),
            CheckSpec((Y2, 4, 3), FOUND, "Utredningar i tid: 58 %."),
            CheckSpec((Y2, 7, 8), SKIPPED, "Utgick på grund av semester och byte av rapportverktyg."),
            CheckSpec((Y2, 10, 6), FOUND, "Utredningar i tid: 63 %. Förhandsbedömningar i tid: 84 %."),
            CheckSpec((Y3, 4, 7), FOUND, "Utredningar i tid: 71 %. Förhandsbedömningar i tid: 88 %."),
            CheckSpec((Y3, 7, 15), FOUND, "Utredningar i tid: 74 %. Förhandsbedömningar i tid: 90 %. Fortfarande "
                      "under målet, men trenden är tydligt positiv."),
        ),
    ),
    ControlSpec(
        "bfe",
        "Ärendegenomgång om barnets delaktighet",
        "Ärendegenomgång i arbetsgrupp",
        Frequency.SEMIANNUAL,
        "agare@exempel.se",
        "Varje socialsekreterare tar med ett avslutat ärende. Gruppen går igenom om barnet har fått information "
        "och kommit till tals, och om analysen följer BBIC.",
        ("barnets-delaktighet", "bbic", "barnets-rost-fb"),
        (
            CheckSpec((Y1, 6, 1), FOUND, "Barnets synpunkter saknades i 4 av 10 ärenden. Analysen var ofta en "
                      "sammanfattning utan egen bedömning."),
            CheckSpec((Y2, 5, 28), FOUND, "Barnets synpunkter saknades i 3 av 10 ärenden."),
            CheckSpec((Y2, 11, 20), OK, "Barnsamtal fanns i 9 av 10 ärenden och BBIC-analysen har blivit bättre."),
            CheckSpec((Y3, 3, 18), FOUND, "Samtal med barnet saknades i var fjärde utredning, oftast hos "
                      "nyanställda. I sex av tio nedlagda förhandsbedömningar hade barnet inte hörts."),
        ),
    ),
    ControlSpec(
        "bfe",
        "Stickprov på besök och genomförandeplaner för placerade barn",
        "Stickprov i verksamhetssystemet",
        Frequency.QUARTERLY,
        "johan.sandberg@exempel.se",
        "Tio placerade barn väljs ut. Vi kontrollerar senaste besöket i familjehemmet, enskilt samtal med "
        "barnet, aktuell vårdplan och genomförandeplan.",
        ("placerade-besok", "genomforandeplan"),
        (
            CheckSpec((Y1, 3, 30), FOUND, "4 av 10 barn hade inte fått besök på över tre månader. "
                      "Genomförandeplan saknades för 4 barn."),
            CheckSpec((Y1, 9, 25), FOUND, "Genomförandeplan saknades för 3 barn."),
            CheckSpec((Y2, 2, 20), FOUND, "2 av 10 barn hade inte fått besök enligt plan."),
            CheckSpec((Y2, 9, 18), OK),
            CheckSpec((Y3, 3, 12), OK),
            CheckSpec((Y3, 6, 11), FOUND, "Besök enligt plan hos alla tio. Genomförandeplan saknades i två "
                      "placeringar från maj."),
        ),
    ),
    ControlSpec(
        "bfe",
        "Enkät till familjehem om stöd och handledning",
        "Enkät",
        Frequency.ANNUAL,
        "johan.sandberg@exempel.se",
        "Webbenkät till alla familjehem i november. Resultatet redovisas på familjehemsdagen.",
        ("familjehem-brist",),
        (
            CheckSpec((Y1, 11, 15), OK, "Svarsfrekvens 71 %. Familjehemmen är överlag nöjda med handledningen."),
            CheckSpec((Y2, 11, 10), FOUND, "Flera familjehem får för lite stöd vid akuta situationer på kvällar "
                      "och helger. Tre överväger att avsluta sitt uppdrag."),
        ),
    ),
    ControlSpec(
        "bfe",
        "Sammanställning av avvikelser, lex Sarah, synpunkter och klagomål",
        "Sammanställning och analys av mönster och trender",
        Frequency.SEMIANNUAL,
        "chef@exempel.se",
        "Avvikelser, lex Sarah-rapporter, synpunkter och klagomål sammanställs och analyseras i "
        "ledningsgruppen. Resultatet tas upp på arbetsplatsträff.",
        ("lex-sarah", "skydd-helg"),
        (
            CheckSpec((Y2, 2, 5), FOUND, "14 avvikelser under andra halvåret, varav två gällde anmälningar som "
                      "lästes först efter helgen. Bara två lex Sarah-rapporter under hela året."),
            CheckSpec((Y2, 8, 22), OK, "Inga nya mönster."),
            CheckSpec((Y3, 2, 3), OK, "Sju lex Sarah-rapporter under året, de flesta om dokumentation."),
            CheckSpec((Y3, 8, 20), SKIPPED, "Flyttad till oktober eftersom avvikelsesystemet byttes ut i sommar."),
        ),
    ),
    ControlSpec(
        "bfe",
        "Kontroll av gallring och arkivering av avslutade akter",
        "Stickprov",
        Frequency.ANNUAL,
        "chef@exempel.se",
        "Kontroll att avslutade akter arkiveras och att handlingar gallras enligt dokumenthanteringsplanen.",
        (),
        (CheckSpec((Y2, 12, 4), OK),),
    ),
    ControlSpec(
        "ekb",
        "Aktgranskning av beslut om försörjningsstöd",
        "Journalgranskning, 15 akter per kvartal",
        Frequency.QUARTERLY,
        "elin.nystrom@exempel.se",
        "Granskning av normberäkning, motivering, besvärshänvisning och hur barnens behov har beaktats.",
        ("eb-barnperspektiv", "eb-normberakning", "eb-motivering"),
        (
            CheckSpec((Y1, 4, 20), FOUND, "Avslagsbeslut utan besvärshänvisning i 3 av 15 akter."),
            CheckSpec((Y1, 10, 19), FOUND, "Barnen beskrevs bara med ålder i 11 av 15 akter."),
            CheckSpec((Y2, 4, 15), FOUND, "Två felberäkningar (underhållsstöd hade inte räknats som inkomst). "
                      "Barnen beskrevs bara med ålder i 9 av 15 akter."),
            CheckSpec((Y2, 10, 14), OK),
            CheckSpec((Y3, 5, 5), FOUND, "Barnets bästa var beaktat och dokumenterat i bara 6 av 15 akter."),
            CheckSpec((Y3, 9, 30), SKIPPED, "Inte genomförd under tredje kvartalet på grund av vakanser."),
        ),
    ),
    ControlSpec(
        "ekb",
        "Uppföljning av väntetid till nybesök och akuta ansökningar",
        "Statistikuppföljning",
        Frequency.QUARTERLY,
        "sara.lundqvist@exempel.se",
        "Genomsnittlig väntetid från ansökan till nybesök, och hur många akuta ansökningar som prövats samma dag.",
        ("eb-nybesok", "eb-akut"),
        (
            CheckSpec((Y1, 6, 30), FOUND, "Väntetid till nybesök i genomsnitt 19 dagar."),
            CheckSpec((Y1, 12, 15), FOUND, "Väntetid till nybesök i genomsnitt 17 dagar."),
            CheckSpec((Y2, 6, 30), OK, "8 dagar."),
            CheckSpec((Y2, 12, 16), OK, "6 dagar."),
            CheckSpec((Y3, 3, 31), OK, "5 dagar. Akuta ansökningar redovisas ännu inte för sig."),
            CheckSpec((Y3, 6, 30), FOUND, "6 dagar till nybesök, men två akuta ansökningar prövades först "
                      "efter helgen."),
        ),
    ),
    ControlSpec(
        "ekb",
        "Brukarenkät till personer som söker ekonomiskt bistånd",
        "Enkät",
        Frequency.ANNUAL,
        "omar.haddad@exempel.se",
        "Enkät på papper och webb under två veckor i oktober, om bemötande, information och delaktighet.",
        ("eb-synpunkter", "eb-langvarigt"),
        (
            CheckSpec((Y1, 10, 15), OK, "Svarsfrekvens 38 %. 81 % upplever att de blir bemötta med respekt."),
            CheckSpec((Y2, 10, 12), SKIPPED, "Enkäten ställdes in när kommunen bytte enkätverktyg."),
        ),
    ),
)
