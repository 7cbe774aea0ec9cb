"""The demo's åtgärder: what each treats, who is responsible, its tidsplan and how it went."""

from __future__ import annotations

from app.demo.content import Y1, Y2, Y3, ActionSpec
from app.models import ActionStatus

PLANNED, IN_PROGRESS = ActionStatus.PLANNED, ActionStatus.IN_PROGRESS
DONE, CANCELLED = ActionStatus.DONE, ActionStatus.CANCELLED
NEXT = Y3 + 1

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "bfe", "Dagliga fördelningsmöten i mottagningsgruppen", Y1, DONE, "agare@exempel.se", ("fb-tid",),
        due=(Y1, 9, 30),
        description="Nya anmälningar fördelas vid ett kort möte varje morgon i stället för en gång i veckan.",
        follow_up="Infört i mitten av september. Andelen förhandsbedömningar klara i tid har ökat, se "
        "statistikuppföljningen.",
        completed=(Y1, 9, 15),
    ),
    ActionSpec(
        "bfe", "Namngivna bevakare av funktionsbrevlådan", Y1, DONE, "agare@exempel.se",
        ("anmalan-registrering",),
        due=(Y1, 6, 30),
        follow_up="Två handläggare per vecka med utsedda ersättare, schemalagt ett halvår i taget.",
        completed=(Y1, 5, 2),
    ),
    ActionSpec(
        "bfe", "Rutin för ny anmälan i pågående ärende", Y1, DONE, "agare@exempel.se",
        ("ny-anmalan", "skydd-dokumentation"),
        due=(Y2, 3, 31),
        progress="Utkastet är på remiss hos gruppledarna.",
        follow_up="Rutinen beslutades av enhetschefen i maj, gicks igenom på APT och finns i ledningssystemet.",
        completed=(Y2, 5, 20),
    ),
    ActionSpec(
        "bfe", "Checklista för skyddsbedömning i verksamhetssystemet", Y2, IN_PROGRESS, "agare@exempel.se",
        ("skydd-dokumentation", "skydd-helg"),
        due=(Y3, 3, 31),
        description="Obligatoriska rubriker för skyddsbedömning, motivering och överlämning till socialjouren.",
        progress="Beställd hos systemförvaltningen. Leveransen är försenad till efter sommaren.",
    ),
    ActionSpec(
        "bfe", "Introduktionsprogram för nyanställda och inhyrda socialsekreterare", Y2, DONE, "chef@exempel.se",
        ("konsulter", "journalforing"),
        due=(Y2, 12, 31),
        follow_up="Två dagars introduktion med fadder. Sju nyanställda har gått programmet.",
        completed=(Y2, 11, 28),
    ),
    ActionSpec(
        "bfe", "Utbildning i samtal med barn för hela enheten", Y1, DONE, "chef@exempel.se",
        ("barnets-delaktighet", "bbic"),
        due=(Y2, 6, 30),
        progress="Upphandlad; första utbildningsdagen i januari.",
        follow_up="Tre utbildningsdagar genomförda. 24 av 26 medarbetare deltog.",
        completed=(Y2, 4, 24),
    ),
    ActionSpec(
        "bfe", "Krav på dokumenterat barnsamtal innan utredningen avslutas", Y3, IN_PROGRESS, "agare@exempel.se",
        ("barnets-delaktighet", "barnets-rost-fb"),
        due=(Y3, 6, 30),
        description="Gruppledaren kontrollerar att samtal med barnet finns, eller att det är motiverat varför "
        "samtal inte hållits, innan utredningen går till beslut.",
        progress="Arbetssättet gäller i en av tre utredningsgrupper.",
    ),
    ActionSpec(
        "bfe", "Gemensam rekrytering av familjehem med grannkommunerna", Y2, IN_PROGRESS,
        "johan.sandberg@exempel.se", ("familjehem-brist",),
        due=(Y3, 12, 31),
        progress="Annonskampanjen i våras gav 14 intresseanmälningar. Fyra familjer utreds.",
    ),
    ActionSpec(
        "bfe", "Avtal om konsulentstödda familjehem för syskongrupper", Y3, PLANNED, "johan.sandberg@exempel.se",
        ("familjehem-brist",),
        due=(Y3, 12, 15),
    ),
    ActionSpec(
        "bfe", "Bevakningar för besök hos placerade barn", Y1, DONE, "johan.sandberg@exempel.se",
        ("placerade-besok",),
        due=(Y1, 12, 31),
        follow_up="Varje placerat barn har en bevakning för nästa besök i verksamhetssystemet. Följs i stickproven.",
        completed=(Y2, 2, 14),
    ),
    ActionSpec(
        "bfe", "Extern juridisk granskning av LVU-ansökningar", Y2, CANCELLED, "chef@exempel.se",
        ("lvu-ansokan",),
        due=(Y2, 10, 31),
        follow_up="Avbruten: kommunjuristen granskar nu varje ansökan innan den lämnas in, vilket ger samma "
        "trygghet utan extern kostnad.",
    ),
    ActionSpec(
        "bfe", "Bevakning av övervägande och omprövning enligt LVU i verksamhetssystemet", Y3, PLANNED,
        "johan.sandberg@exempel.se", ("lvu-overvagande",),
        due=(Y3, 9, 30),
    ),
    ActionSpec(
        "bfe", "Genomgång av lex Sarah på arbetsplatsträff", Y2, DONE, "chef@exempel.se", ("lex-sarah",),
        due=(Y2, 10, 31),
        follow_up="Genomgång med fallövningar tillsammans med kvalitetssamordnaren.",
        completed=(Y2, 9, 17),
    ),
    ActionSpec(
        "bfe", "Mall och tidsbevakning för genomförandeplan", Y1, IN_PROGRESS, "johan.sandberg@exempel.se",
        ("genomforandeplan",),
        due=(Y3, 12, 31),
        progress="Mallen är klar och används. Tidsbevakningen väntar på en uppgradering av verksamhetssystemet.",
    ),
    ActionSpec(
        "bfe", "Rutin för journalföring inom fem arbetsdagar", Y3, PLANNED, "chef@exempel.se", ("journalforing",),
        due=(NEXT, 3, 31),
    ),
    ActionSpec(
        "ekb", "Drop-in för nyansökningar två dagar i veckan", Y1, DONE, "sara.lundqvist@exempel.se",
        ("eb-nybesok",),
        due=(Y2, 3, 1),
        follow_up="Drop-in tisdag och torsdag förmiddag sedan februari.",
        completed=(Y2, 2, 3),
    ),
    ActionSpec(
        "ekb", "Rutin för akuta ansökningar och nödprövning samma dag", Y2, IN_PROGRESS,
        "sara.lundqvist@exempel.se", ("eb-akut",),
        due=(Y3, 4, 30),
        progress="Rutinen är skriven men inte beslutad. Frågan om jour på fredagseftermiddagar är olöst.",
    ),
    ActionSpec(
        "ekb", "Obligatorisk motivering och besvärshänvisning i beslutsmallen", Y1, DONE,
        "elin.nystrom@exempel.se", ("eb-motivering",),
        due=(Y2, 3, 31),
        follow_up="Mallen ändrad i verksamhetssystemet. Kontrolleras i aktgranskningen.",
        completed=(Y2, 3, 10),
    ),
    ActionSpec(
        "ekb", "Checklista för barnets bästa i utredningen", Y2, IN_PROGRESS, "elin.nystrom@exempel.se",
        ("eb-barnperspektiv",),
        due=(Y3, 12, 31),
        progress="Testas i en arbetsgrupp sedan september.",
    ),
    ActionSpec(
        "ekb", "Frågor om våld vid nybesök och samarbete med våldssamordnaren", Y3, PLANNED,
        "omar.haddad@exempel.se", ("eb-vald",),
        due=(NEXT, 3, 31),
    ),
    ActionSpec(
        "ekb", "Upphandling av separat beräkningsstöd", Y2, CANCELLED, "omar.haddad@exempel.se",
        ("eb-normberakning",),
        due=(Y3, 6, 30),
        follow_up="Avbruten: kommunens nya verksamhetssystem har inbyggd normberäkning och införs nästa år.",
    ),
    ActionSpec(
        "ekb", "Planering mot egen försörjning tillsammans med arbetsmarknadsenheten", Y1, IN_PROGRESS,
        "elin.nystrom@exempel.se", ("eb-langvarigt",),
        due=(Y2, 12, 31),
        description="Gemensam planering för alla som haft försörjningsstöd i mer än tio månader.",
        progress="Planering finns i 70 % av ärendena. Arbetsmarknadsenheten har haft vakanser under året.",
    ),
)
