"""The demo's risks and how each was assessed, year by year: Barn- och familjeenheten here, the other enhet in
content_risks_ekb.py."""

from __future__ import annotations

from app.demo.content import Y1, Y2, Y3, Rating, RiskSpec
from app.demo.content_risks_ekb import EKB_RISKS
from app.models import QualityArea, RiskStatus

NEW, IN_PROGRESS, CARRIED_OVER = RiskStatus.NEW, RiskStatus.IN_PROGRESS, RiskStatus.CARRIED_OVER
RESOLVED, CLOSED = RiskStatus.RESOLVED, RiskStatus.CLOSED

BFE_RISKS: tuple[RiskSpec, ...] = (
    RiskSpec(
        "fb-tid", "mottagning",
        "Förhandsbedömningen blir inte klar inom 14 dagar",
        QualityArea.ACCESSIBILITY,
        "Beslut om att inleda utredning eller inte ska fattas inom 14 dagar från att anmälan kom in. När "
        "mottagningsgruppen är hårt belastad blir anmälningar liggande, och barnets situation hinner förändras "
        "innan vi agerar.",
        (
            Rating(Y1, 3, 3, NEW, "Mätning under hösten: 31 % av förhandsbedömningarna blev klara efter dag 14. "
                   "Flest anmälningar från skolan före sommarlovet."),
            Rating(Y2, 3, 3, IN_PROGRESS, "Dagliga fördelningsmöten sedan september. För tidigt att se effekt."),
            Rating(Y3, 2, 3, IN_PROGRESS, "88 % klara i tid. Gruppen är sårbar vid sjukfrånvaro, därför sänks "
                   "sannolikheten bara ett steg."),
        ),
    ),
    RiskSpec(
        "anmalan-registrering", "mottagning",
        "Anmälan som kommer in per brev eller e-post registreras inte samma dag",
        QualityArea.SAFETY,
        "Anmälningar kommer via funktionsbrevlåda, e-tjänst, brev och telefon. En anmälan kan bli liggande i "
        "brevlådan, särskilt under semestern, och då dröjer skyddsbedömningen.",
        (
            Rating(Y1, 2, 4, NEW),
            Rating(Y2, 1, 4, RESOLVED, "Funktionsbrevlådan bevakas varje dag av två namngivna handläggare med "
                   "ersättare. Inga sena registreringar i stickproven."),
        ),
    ),
    RiskSpec(
        "barnets-rost-fb", "mottagning",
        "Barnet får inte komma till tals under förhandsbedömningen",
        QualityArea.SELF_DETERMINATION,
        "Förhandsbedömningen görs ofta bara utifrån anmälan och samtal med vårdnadshavare. Barnets egen bild "
        "saknas, och ärenden kan läggas ned på för tunt underlag.",
        (
            Rating(Y3, 3, 2, NEW, "Uppmärksammades vid ärendegenomgången i mars: i sex av tio nedlagda "
                   "förhandsbedömningar hade barnet inte hörts."),
        ),
    ),
    RiskSpec(
        "skydd-dokumentation", "skyddsbedomning",
        "Skyddsbedömningen görs inte, eller dokumenteras inte, samma dag som anmälan kommer in",
        QualityArea.SAFETY,
        "Skyddsbedömningen avgör om barnet behöver skydd direkt. Saknas den i journalen, eller finns den bara "
        "muntligt, går det inte att i efterhand visa att barnets säkerhet har prövats.",
        (
            Rating(Y1, 3, 4, NEW, "Journalgranskningen: 5 av 20 skyddsbedömningar saknades eller var gjorda "
                   "dagen efter."),
            Rating(Y2, 2, 4, IN_PROGRESS),
            Rating(Y3, 2, 4, CARRIED_OVER),
            Rating(Y3, 2, 4, IN_PROGRESS, "Efter granskningen i april: alla gjorda i tid, men 2 av 20 saknade "
                   "motivering. Checklistan i verksamhetssystemet är ännu inte på plats."),
        ),
    ),
    RiskSpec(
        "skydd-helg", "skyddsbedomning",
        "Anmälan som kommer in sent på fredagen lämnas inte över till socialjouren",
        QualityArea.SAFETY,
        "Anmälningar som kommer efter klockan 15 på fredagar och före helgdagar ska skyddsbedömas och vid behov "
        "lämnas över till socialjouren. Överlämningen bygger i dag på att den som har mottagningen kommer ihåg "
        "den.",
        (
            Rating(Y2, 2, 4, NEW, "Två avvikelser under året där anmälan lästes först på måndagen. Ingen av dem "
                   "bedömdes som ett missförhållande enligt lex Sarah."),
        ),
    ),
    RiskSpec(
        "ny-anmalan", "skyddsbedomning",
        "Ny anmälan i ett pågående ärende förhandsbedöms inte",
        QualityArea.SAFETY,
        "När en ny anmälan kommer om ett barn som redan har en utredning eller insats läggs den ibland bara in "
        "i akten, utan ny skyddsbedömning och förhandsbedömning.",
        (
            Rating(Y1, 3, 3, NEW),
            Rating(Y2, 2, 3, IN_PROGRESS, "Rutinen är beslutad och presenterad på APT."),
            Rating(Y3, 1, 3, RESOLVED, "Stickproven har varit utan anmärkning två kvartal i rad. Följs vidare i "
                   "den ordinarie journalgranskningen."),
        ),
    ),
    RiskSpec(
        "utredningstid", "utredning",
        "Utredningen blir inte klar inom fyra månader",
        QualityArea.ACCESSIBILITY,
        "Utredningar enligt 11 kap. 1 § SoL ska vara klara inom fyra månader. Förlängning beslutas ibland utan "
        "att skälen dokumenteras, och långa utredningar fördröjer stödet till barnet och familjen.",
        (
            Rating(Y1, 4, 3, NEW, "Hälften av utredningarna tog längre tid än fyra månader. Tre tjänster var "
                   "vakanta under hösten."),
            Rating(Y2, 4, 3, IN_PROGRESS, "Hög personalomsättning; fyra inhyrda konsulter under större delen av "
                   "året."),
            Rating(Y3, 3, 3, IN_PROGRESS, "Bemanningen är stabil sedan februari. 74 % klara i tid under första "
                   "halvåret, målet är 95 %."),
        ),
    ),
    RiskSpec(
        "barnets-delaktighet", "utredning",
        "Barnets egen berättelse och synpunkter framgår inte av utredningen",
        QualityArea.SELF_DETERMINATION,
        "Enligt BBIC ska barnet få information och möjlighet att framföra sina åsikter. I utredningar där "
        "föräldrarna är i konflikt, eller där barnet är litet, redovisas ofta bara de vuxnas bild.",
        (
            Rating(Y1, 3, 3, NEW),
            Rating(Y2, 3, 3, CARRIED_OVER, "Utbildningen i samtal med barn är genomförd, men effekten syns ännu "
                   "inte i akterna."),
            Rating(Y3, 4, 3, IN_PROGRESS, "Samtal med barnet saknades i var fjärde utredning, oftast hos "
                   "nyanställda. Sannolikheten höjs."),
        ),
    ),
    RiskSpec(
        "bbic", "utredning",
        "BBIC används inte fullt ut och analysen blir ofullständig",
        QualityArea.KNOWLEDGE_BASED,
        "Utredningen ska följa BBIC:s struktur och avslutas med en sammanvägd bedömning av barnets behov. En "
        "svag analys ger ett beslut på svag grund.",
        (
            Rating(Y1, 2, 2, NEW),
            Rating(Y2, 2, 2, CARRIED_OVER),
            Rating(Y3, 1, 2, RESOLVED, "Metodstöd från BBIC-samordnaren varannan vecka sedan i vintras."),
        ),
    ),
    RiskSpec(
        "journalforing", "utredning",
        "Journalanteckningar förs inte in utan dröjsmål",
        QualityArea.SAFETY,
        "Uppgifter om den enskilde ska dokumenteras utan onödigt dröjsmål. När anteckningar förs in veckor i "
        "efterhand saknar kollegor och socialjouren information, och dokumentationen blir mindre tillförlitlig.",
        (
            Rating(Y1, 3, 2, NEW),
            Rating(Y2, 3, 2, CARRIED_OVER),
            Rating(Y3, 3, 2, CARRIED_OVER, "Ingen förbättring. Föreslås som fokusområde i nästa kvalitetsplan."),
        ),
    ),
    RiskSpec(
        "lex-sarah", "utredning",
        "Missförhållanden rapporteras inte enligt lex Sarah",
        QualityArea.SAFETY,
        "Medarbetare är osäkra på skillnaden mellan en avvikelse och ett missförhållande eller en påtaglig risk "
        "för ett missförhållande. Händelser som borde rapporteras kan stanna i arbetsgruppen.",
        (
            Rating(Y2, 2, 3, NEW),
            Rating(Y3, 1, 3, CARRIED_OVER, "Sju lex Sarah-rapporter förra året mot två året innan. Vi tolkar "
                   "det som att kunskapen har ökat, inte att fler missförhållanden inträffar."),
        ),
    ),
    RiskSpec(
        "konsulter", "utredning",
        "Inhyrda socialsekreterare följer inte enhetens rutiner",
        QualityArea.KNOWLEDGE_BASED,
        "Konsulter som hyrs in för kortare perioder får ingen introduktion i enhetens rutiner eller i "
        "verksamhetssystemet.",
        (
            Rating(Y2, 3, 2, NEW),
            Rating(Y3, 1, 2, CLOSED, "Enheten har inte haft några inhyrda socialsekreterare sedan februari och "
                   "planerar inte att anlita några. Risken har upphört."),
        ),
    ),
    RiskSpec(
        "familjehem-brist", "placering",
        "Det saknas lämpliga familjehem och barn placeras långt från hemmet",
        QualityArea.HOLISTIC_VIEW,
        "Enheten har för få egna familjehem. Barn bor i jourhem längre än planerat, syskon skiljs åt, och "
        "skolgång och kontakt med närstående blir svårare när placeringen ligger långt bort.",
        (
            Rating(Y1, 3, 3, NEW),
            Rating(Y2, 4, 3, CARRIED_OVER, "Sju barn har bott i jourhem längre än tre månader."),
            Rating(Y3, 4, 4, IN_PROGRESS, "Bara två nya familjehem rekryterade. Två syskongrupper har fått delas "
                   "under året, vilket vi bedömer som en mycket allvarlig konsekvens för barnen."),
        ),
    ),
    RiskSpec(
        "genomforandeplan", "placering",
        "Genomförandeplan upprättas inte i tid när ett barn placeras",
        QualityArea.HOLISTIC_VIEW,
        "Vårdplan och genomförandeplan ska visa målen med placeringen och hur barnets behov av skola, hälsa och "
        "kontakt med föräldrar ska tillgodoses. Utan plan vet familjehemmet inte vad uppdraget är.",
        (
            Rating(Y1, 4, 2, NEW, "Genomförandeplan saknades i nästan hälften av placeringarna."),
            Rating(Y2, 3, 2, IN_PROGRESS),
            Rating(Y3, 2, 2, IN_PROGRESS),
        ),
    ),
    RiskSpec(
        "placerade-besok", "placering",
        "Placerade barn får inte regelbundna besök och enskilda samtal med sin socialsekreterare",
        QualityArea.SAFETY,
        "Nämnden ska följa vården noga genom regelbundna besök i familjehemmet och enskilda samtal med barnet. "
        "Det är de här besöken som skjuts upp först när arbetsbelastningen är hög.",
        (
            Rating(Y1, 3, 4, NEW),
            Rating(Y2, 2, 4, IN_PROGRESS, "Bevakningar är upplagda i verksamhetssystemet."),
            Rating(Y3, 1, 4, RESOLVED, "Alla placerade barn har fått besök enligt plan sedan januari."),
        ),
    ),
    RiskSpec(
        "lvu-ansokan", "placering",
        "Ansökan om vård enligt LVU håller inte i förvaltningsrätten",
        QualityArea.SAFETY,
        "Ansökan ska vara fullständig och visa vilka omständigheter som gör att vård behövs. En bristfällig "
        "ansökan kan leda till avslag och att barnet står utan det skydd det behöver.",
        (
            Rating(Y1, 1, 4, NEW, "Inga avslag de senaste två åren, men konsekvensen är allvarlig."),
            Rating(Y2, 1, 4, CARRIED_OVER),
            Rating(Y3, 1, 4, CARRIED_OVER),
        ),
    ),
    RiskSpec(
        "lvu-overvagande", "placering",
        "Övervägande och omprövning av vård enligt LVU görs inte i tid",
        QualityArea.SAFETY,
        "Vården ska övervägas eller omprövas var sjätte månad. Bevakningen sköts i dag för hand i en lista hos "
        "familjehemssekreterarna.",
        (
            Rating(Y3, 2, 4, NEW, "Upptäcktes vid genomgång av bevakningarna i augusti: två överväganden var tre "
                   "veckor sena."),
        ),
    ),
)

RISKS: tuple[RiskSpec, ...] = BFE_RISKS + EKB_RISKS
