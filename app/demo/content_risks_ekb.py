"""The demo's risks in Enheten för ekonomiskt bistånd, and how each was assessed year by year."""

from __future__ import annotations

from app.demo.content import Y1, Y2, Y3, Rating, RiskSpec
from app.models import QualityArea, RiskStatus

NEW, IN_PROGRESS, CARRIED_OVER = RiskStatus.NEW, RiskStatus.IN_PROGRESS, RiskStatus.CARRIED_OVER
RESOLVED, CLOSED = RiskStatus.RESOLVED, RiskStatus.CLOSED

EKB_RISKS: tuple[RiskSpec, ...] = (
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
