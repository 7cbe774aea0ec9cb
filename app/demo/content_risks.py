"""The demo's risks and how each was assessed, year by year, in Exempelby's two enheter."""

from __future__ import annotations

from app.demo.content import Y1, Y2, Y3, Rating, RiskSpec
from app.models import QualityArea, RiskStatus

NEW, IN_PROGRESS, CARRIED_OVER = RiskStatus.NEW, RiskStatus.IN_PROGRESS, RiskStatus.CARRIED_OVER
RESOLVED, CLOSED = RiskStatus.RESOLVED, RiskStatus.CLOSED

RISKS: tuple[RiskSpec, ...] = (
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
    RiskSpec(
        "eb-nybesok", "eb-mottagning",
        "Den som söker bistånd får inte tid för nybesök inom två veckor",
        QualityArea.ACCESSIBILITY,
        "Ansökan om ekonomiskt bistånd ska prövas skyndsamt. Lång väntan till första besöket kan leda till "
        "hyresskulder och till att barnfamiljer står utan pengar till mat.",
        (
            Rating(Y1, 3, 2, NEW, "Genomsnittlig väntetid 19 dagar."),
            Rating(Y2, 2, 2, IN_PROGRESS, "Drop-in infört i februari."),
            Rating(Y3, 1, 2, RESOLVED, "Väntetiden har legat under sju dagar hela året."),
        ),
    ),
    RiskSpec(
        "eb-akut", "eb-mottagning",
        "Akut nöd upptäcks inte samma dag",
        QualityArea.SAFETY,
        "Den som saknar pengar till mat eller medicin, eller riskerar att bli vräkt, ska få sin ansökan prövad "
        "samma dag. I telefonkön och i e-tjänsten går akuta ärenden inte att skilja från andra.",
        (
            Rating(Y2, 2, 4, NEW),
            Rating(Y3, 3, 4, IN_PROGRESS, "Fler hushåll i akut ekonomisk kris. En familj med tre barn fick vänta "
                   "över en helg; händelsen utreddes enligt lex Sarah."),
        ),
    ),
    RiskSpec(
        "eb-barnperspektiv", "eb-utredning",
        "Barnens behov syns inte i utredningen av försörjningsstöd",
        QualityArea.HOLISTIC_VIEW,
        "När barnfamiljer söker bistånd ska barnets bästa särskilt beaktas, till exempel för fritidsaktiviteter "
        "och umgänge. I många akter nämns barnen bara med antal och ålder.",
        (
            Rating(Y1, 3, 3, NEW),
            Rating(Y2, 3, 3, CARRIED_OVER),
            Rating(Y3, 3, 3, IN_PROGRESS, "Barnchecklistan testas i en arbetsgrupp sedan september."),
        ),
    ),
    RiskSpec(
        "eb-normberakning", "eb-utredning",
        "Fel i normberäkningen ger fel belopp i försörjningsstödet",
        QualityArea.EFFICIENCY,
        "Beräkningen görs i verksamhetssystemet, men inkomster och utgifter förs in för hand. Fel upptäcks ofta "
        "först när den enskilde hör av sig.",
        (
            Rating(Y1, 2, 2, NEW),
            Rating(Y2, 2, 2, CARRIED_OVER, "Aktgranskningen hittade två felberäkningar av 60. Båda rättades."),
        ),
    ),
    RiskSpec(
        "eb-motivering", "eb-utredning",
        "Avslagsbeslut saknar tydlig motivering och besvärshänvisning",
        QualityArea.SELF_DETERMINATION,
        "Den enskilde måste kunna förstå varför ansökan avslogs och hur beslutet överklagas. Motiveringen "
        "hänvisar ibland bara till riksnormen.",
        (
            Rating(Y1, 2, 3, NEW),
            Rating(Y2, 1, 3, RESOLVED, "Motivering och besvärshänvisning är nu obligatoriska i beslutsmallen."),
        ),
    ),
    RiskSpec(
        "eb-vald", "eb-utredning",
        "Våld i nära relation upptäcks inte i handläggningen av ekonomiskt bistånd",
        QualityArea.SAFETY,
        "Ekonomiskt våld och andra former av våld i nära relation kan ligga bakom en ansökan. Handläggarna frågar "
        "inte rutinmässigt om våld och vet inte alltid hur de ska gå vidare.",
        (Rating(Y3, 2, 4, NEW, "Identifierad efter en utbildningsdag med kommunens våldssamordnare."),),
    ),
    RiskSpec(
        "eb-synpunkter", "eb-utredning",
        "Synpunkter och klagomål från sökande tas inte tillvara",
        QualityArea.ACCESSIBILITY,
        "Klagomål tas ofta emot muntligt i telefon och registreras inte. Då går det inte att se mönster och "
        "trender eller att återkoppla till den som klagat.",
        (Rating(Y3, 3, 1, NEW),),
    ),
    RiskSpec(
        "eb-langvarigt", "eb-planering",
        "Personer med långvarigt försörjningsstöd saknar planering mot egen försörjning",
        QualityArea.HOLISTIC_VIEW,
        "För den som haft försörjningsstöd längre än tio månader ska det finnas en aktuell planering, gjord "
        "tillsammans med personen och i samverkan med Arbetsförmedlingen, vården och arbetsmarknadsenheten. "
        "Utan planering riskerar biståndet att bli långvarigt.",
        (
            Rating(Y1, 3, 3, NEW),
            Rating(Y2, 3, 3, IN_PROGRESS),
            Rating(Y3, 2, 3, IN_PROGRESS, "Planering finns i 70 % av ärendena. Målet är 90 %."),
        ),
    ),
)
