"""004: Nacka socialnämnd, Tertialrapport 1 2023 (mnkr; the result table has costs negative)."""

DOC = "004 Nacka socialnämnd tertialrapport 1 2023"
T1 = "2023-T1"
V = "2023-04"  # prognos per april

UNITS = [
    ("N", "Socialnämnden Nacka", ""),
    ("N-BOU", "Barn och unga 0–20 år", "N"),
    ("N-BOU-HDV", "Heldygnsvård barn och unga", "N-BOU"),
    ("N-BOU-INST", "Institutionsvård barn och unga (HVB, HVB LVU, SiS)", "N-BOU-HDV"),
    ("N-BOU-JOUR", "Jourhem inkl. tillfällig placering i nätverk", "N-BOU-HDV"),
    ("N-BOU-FH", "Familjehem inkl. behandlingshem och nätverkshem", "N-BOU-HDV"),
    ("N-BOU-STOD", "Stödboende/träningslägenhet barn och unga", "N-BOU-HDV"),
    ("N-BOU-BOPV", "Biståndsbedömd öppenvård barn och unga", "N-BOU"),
    ("N-BOU-OVR", "Övrig öppenvård inkl föreningsbidrag", "N-BOU"),
    ("N-BOU-FAM", "Familjerådgivning o insatser familjerätt", "N-BOU"),
    ("N-BOU-EKB", "Ensamkommande barn och unga", "N-BOU"),
    ("N-VUX", "Vuxna 21–64 år", "N"),
    ("N-VUX-HDV", "Heldygnsvård vuxna", "N-VUX"),
    ("N-VUX-INST", "Institutionsvård vuxna (HVB inkl. arbetskooperativ)", "N-VUX-HDV"),
    ("N-VUX-STOD", "Stödboende/träningslägenhet vuxna", "N-VUX-HDV"),
    ("N-VUX-FH", "Familjehem vuxna", "N-VUX-HDV"),
    ("N-VUX-OPV", "Öppenvård vuxen", "N-VUX"),
    ("N-VUX-VNR", "Våld i nära relation", "N-VUX"),
    ("N-VUX-SKB", "Skyddat boende", "N-VUX-VNR"),
    ("N-VUX-SOK", "Sociala kontrakt", "N-VUX"),
    ("N-FN", "Personer med funktionsnedsättning 0–64 år", "N"),
    ("N-FN-SOL", "Insatser enligt SoL", "N-FN"),
    ("N-FN-SPS", "Socialpsykiatri (psykisk funktionsnedsättning)", "N-FN-SOL"),
    ("N-FN-SPS-HDV", "Heldygnsvård socialpsykiatri", "N-FN-SPS"),
    ("N-FN-SPS-HVB", "HVB socialpsykiatri", "N-FN-SPS-HDV"),
    ("N-FN-SPS-STOD", "Stödboende socialpsykiatri", "N-FN-SPS-HDV"),
    ("N-FN-SPS-TRL", "Träningslägenhet socialpsykiatri", "N-FN-SPS-HDV"),
    ("N-FN-SPS-SAB", "Särskilt boende socialpsykiatri", "N-FN-SPS-HDV"),
    ("N-FN-SPS-OPV", "Öppenvård socialpsykiatri", "N-FN-SPS"),
    ("N-FN-FYS", "Fysisk funktionsnedsättning", "N-FN-SOL"),
    ("N-FN-HT", "Hemtjänst", "N-FN-SOL"),
    ("N-FN-LSS", "Insatser enligt LSS", "N-FN"),
    ("N-FN-TUR", "Turbundna resor och riksfärdtjänst", "N-FN"),
    ("N-FN-KBT", "Kommunalt bostadstillägg", "N-FN"),
    ("N-GEM", "Gemensam socialtjänst", "N"),
    ("N-NMD", "Nämnd och nämndstöd", "N"),
    ("N-MYN", "Myndighet & Huvudmannaskap", "N"),
]

# "varav SiS" rows: parts of institutionsvård, not pieces of its sum (column därav).
PARTS = [
    ("N-BOU-INST-SIS", "därav SiS", "N-BOU-INST"),
    ("N-VUX-INST-SIS", "därav SiS", "N-VUX-INST"),
]

RESULT = """
N-BOU|3,2|-66,1|-63,0|2,2|-63,0|-60,9|-2,1|-178,7|-188,7|-10,0
N-VUX|4,6|-26,0|-21,5|6,5|-31,2|-24,8|3,3|-71,8|-64,1|7,7
N-FN|12,6|-212,1|-199,6|11,8|-217,7|-205,9|6,3|-617,2|-614,7|2,5
N-GEM|0,0|-1,4|-1,4|0,0|-2,2|-2,2|0,9|-6,7|-4,9|1,8
N-NMD|0,0|-0,9|-0,9|0,0|-0,9|-0,9|0,0|-2,7|-2,7|0,0
N-MYN|0,0|-46,4|-46,4|0,0|-43,4|-43,4|-3,0|-133,3|-133,3|0,0
N|20,3|-352,9|-332,6|20,5|-358,5|-338,0|5,4|-1 010,4|-1 008,4|2,0
"""

# Per-budgetrad tables (costs positive): utfall jan–apr, budget jan–apr, avvikelse,
# prognos 2023, budget 2023, prognosavvikelse.
BOU = """
N-BOU-HDV|35,2|32,0|-3,3|108,9|95,9|-13,0
N-BOU-BOPV|14,9|15,5|0,6|45,0|46,5|1,5
N-BOU-OVR|11,7|11,8|0,1|31,1|31,4|0,3
N-BOU-FAM|1,2|1,3|0,1|3,7|3,8|0,2
N-BOU-EKB|0,0|0,4|0,4|0,0|1,1|1,1
N-BOU|63,0|60,9|-2,1|188,7|178,7|-10,0
"""
VUX = """
N-VUX-HDV|10,2|12,1|1,8|31,7|36,2|4,5
N-VUX-OPV|5,2|5,1|-0,1|13,8|12,9|-0,9
N-VUX-VNR|2,0|4,0|2,1|6,9|12,1|5,2
N-VUX-SOK|4,0|3,5|-0,5|11,7|10,6|-1,1
N-VUX|21,5|24,8|3,3|64,1|71,8|7,7
"""
FN = """
N-FN-SOL|42,7|43,8|1,1|135,3|130,9|-4,3
N-FN-LSS|149,3|154,9|5,6|456,4|464,7|8,3
N-FN-TUR|7,5|6,7|-0,8|22,8|20,1|-2,7
N-FN-KBT|0,0|0,5|0,5|0,3|1,5|1,2
N-FN|199,6|205,9|6,3|614,7|617,2|2,5
"""

Y5 = [2023, 2022, 2021, 2020, 2019]
Y4 = [2023, 2022, 2021, 2020]
AKT = [
    "aktualiseringar",
    "unika_aktualiseringar",
    "inledda_utredningar",
    "unika_inledda_utredningar",
    "avslutade_utredningar",
    "unika_avslutade_utredningar",
]

STAT_TABLES = [
    (
        "N-BOU",
        "BoU 0–20 år kvartal 1",
        Y5,
        """
1 218|1 215|1 077|980|857
559|571|502|492|426
308|323|278|253|273
296|313|269|245|261
331|268|260|261|253
319|251|249|254|245
""",
    ),
    (
        "N-VUX",
        "Vuxna 21–64 år kvartal 1",
        Y5,
        """
231|263|261|218|180
151|144|155|132|125
173|138|129|123|161
136|98|104|101|124
153|139|132|117|163
124|97|102|99|123
""",
    ),
    (
        "N-VUX-VNR",
        "Personer utsatta för våld i nära relationer kvartal 1",
        Y4,
        """
37|46|37|33
31|41|28|25
32|39|25|24
30|36|25|22
26|39|24|21
25|33|22|20
""",
    ),
    (
        "N-FN-SPS",
        "Personer med psykisk funktionsnedsättning kvartal 1",
        Y5,
        """
201|153|156|136|132
146|114|126|112|102
186|150|164|147|110
145|115|131|123|88
170|149|151|135|105
135|116|122|115|83
""",
    ),
    (
        "N-FN-LSS",
        "Verksamhetsstatistik LSS kvartal 1",
        Y5,
        """
171|186|209|229|265
132|139|154|167|205
179|172|202|195|246
143|130|149|149|195
157|144|188|205|226
131|113|140|165|180
""",
    ),
]

LSS_Q1 = """
Personlig assistans enl. 9§ 2 LSS (beslut av kommunen)|54|57|57|58
Ledsagarservice enl. 9 § 3 LSS|97|97|83|78
Kontaktperson enl. 9 § 4 LSS|120|125|129|119
Avlösarservice enl. 9 § 5 LSS|99|92|94|87
Korttidsvistelse|125|131|126|120
Korttidstillsyn för skolungdomar över 12 år enl. 9 § 7 LSS|97|85|74|67
Boende barn/unga enl. 9 § 8 LSS, Boende med särskild service|5|4|3|5
Boende vuxna enl. 9 § 9 LSS, bostad med särskild service|188|181|179|164
Boende vuxna enl. 9 § 9 LSS, annan särskilt anpassad bostad|20|20|21|20
Daglig verksamhet enl. 9 § 10 LSS|287|277|260|249
"""

# Chart "Antal placeringar per kvartal 2019–2023, heldygnsvård BoU 0–20 år" (KV 1 each year).
BOU_CHART = """
N-BOU-INST|10,1|21,8|16,3|17,9|20,3
N-BOU-JOUR|38,7|19,9|12,6|15,2|7,2
N-BOU-FH|38,0|50,1|56,6|51,5|67,2
N-BOU-STOD|8,0|18,7|21,1|24,8|28,4
"""
# Chart "Antal placeringar per kvartal 2020–2023, heldygnsvård vuxna 21–64 år".
VUX_CHART = """
N-VUX-FH|1,4|2,7|1,0|0,3
N-VUX-STOD|27,9|25,5|27,2|18,6
N-VUX-INST|22,4|25,3|22,0|23,5
"""

INDICATORS = """
andel_ej_vald_skyddat_boende|76|70|88|80
andel_socialt_kontrakt_egen_bostad|65|63|78|81
andel_lss_boende_inom_kommunen|82|82|90|91
"""

STATSBIDRAG = """
Statsbidrag Habiliteringsersättning 2023|2 409 905|2 409 905|2 409 905
Statsbidrag för sociala insatser för barn och unga i utsatta områden 2023|3 037 800|3 037 800|3 037 800
Statsbidrag subvention familjehemsplaceringar 2023|573 042|573 042|573 042
Stimulansmedel psykisk hälsa 2023|3 085 832|3 085 832|3 085 832
Stimulansmedel stärkt samverkan för personer med samsjuklighet 2023|446 458|446 458|446 458
Stimulansmedel suicidprevention 2023|929 872|929 872|929 872
Stimulansmedel ungdomsmottagningar 2023|700 296|700 296|700 296
Statsbidrag för sociala insatser för barn och unga i utsatta områden 2023 (påfyllnadsmedel)|0|0|2 700 000
Arbete mot våld i nära relationer|0|0|1 100 000
TOTAL|11 183 205|11 183 205|14 985 205
"""


# "Institution barn och unga", kvartal 1 2023 … 2019 (unit|measure|values as printed; the
# placements are whole numbers here and the chart's decimals: the chart's figures are stored).
INSTITUTION = """
N-BOU-INST|unika_personer|28|25|21|27|16
N-BOU-INST|arsplaceringar|20|18|16|22|10
N-BOU-INST-SIS|unika_personer|5|6|2|11|3
N-BOU-INST-SIS|arsplaceringar|3|3|1|8|2
"""
# "Biståndsbedömda öppenvårdsinsatser barn och unga", antal i medeltal, kvartal 1 2023 … 2020.
BOPV = "517|517|481|403"

# "8 Uppföljning av medel ur framtidsfonder" (mnkr): group, ack utfall, budget, prognos.
FUNDS = [
    ("Framtids- och utvecklingsfonden – Ett modernt kundval", "0,6", "1", "1"),
    ("Kompetensfonden – Kompetenshöjning kring kunder med komplexa behov", "1,1", "1,4", "1,1"),
    ("", "1,7", "2,4", "2,1"),
]


def build(Out, Col, years, q1):
    source = f"{DOC}, 4 Ekonomiskt resultat (kostnader negativa)"
    result = Out("004_tertialrapport_1_2023_resultat.csv")
    for code, name, parent in UNITS:
        result.unit(code, name, parent, DOC)
    result.table(
        RESULT,
        [
            Col("intakter", "utfall", T1, "mnkr"),
            Col("kostnader", "utfall", T1, "mnkr"),
            Col("netto", "utfall", T1, "mnkr"),
            Col("intakter", "budget", T1, "mnkr"),
            Col("kostnader", "budget", T1, "mnkr"),
            Col("netto", "budget", T1, "mnkr"),
            Col("netto", "avvikelse", T1, "mnkr"),
            Col("netto", "budget", "2023", "mnkr"),
            Col("netto", "prognos", "2023", "mnkr", V),
            Col("netto", "prognosavvikelse", "2023", "mnkr", V),
        ],
        source,
    )

    out = Out("004_tertialrapport_1_2023.csv")
    for code, name, parent in UNITS:
        out.unit(code, name, parent, DOC)
    out.unit(*PARTS[0], DOC, part=True)
    cols = [
        Col("netto", "utfall", T1, "mnkr"),
        Col("netto", "budget", T1, "mnkr"),
        Col("netto", "avvikelse", T1, "mnkr"),
        Col("netto", "prognos", "2023", "mnkr", V),
        Col("netto", "budget", "2023", "mnkr"),
        Col("netto", "prognosavvikelse", "2023", "mnkr", V),
    ]
    out.table(BOU, cols, f"{DOC}, Barn och Unga 0–20 år (mnkr)")
    out.table(VUX, cols, f"{DOC}, Vuxna 21–64 år (mkr)")
    out.table(FN, cols, f"{DOC}, Personer med funktionsnedsättning 0–64 år (mnkr)")

    for unit, where, ys, text in STAT_TABLES:
        for measure, line in zip(AKT, text.strip().splitlines(), strict=True):
            for col, v in zip(q1(measure, ys), line.split("|"), strict=True):
                out.fact(unit, col, v, f"{DOC}, {where}")
    inst = f"{DOC}, Institution barn och unga kvartal 1"
    for line in INSTITUTION.strip().splitlines():
        unit, measure, values = line.split("|", 2)
        for col, v in zip(q1(measure, Y5), values.split("|"), strict=True):
            out.fact(unit, col, v, inst)
    for col, v in zip(q1("personer_medeltal", Y4), BOPV.split("|"), strict=True):
        out.fact("N-BOU-BOPV", col, v, f"{DOC}, Biståndsbedömda öppenvårdsinsatser barn och unga")
    out.table(
        LSS_Q1,
        q1("personer_medeltal", Y4),
        f"{DOC}, Antal personer med insatser enligt LSS, genomsnitt KV1",
        units={"*": "N-FN-LSS"},
        groups=True,
    )
    out.table(
        BOU_CHART,
        q1("arsplaceringar", [2019, 2020, 2021, 2022, 2023]),
        f"{DOC}, diagram Antal placeringar per kvartal heldygnsvård BoU",
    )
    out.table(
        VUX_CHART,
        q1("arsplaceringar", [2020, 2021, 2022, 2023]),
        f"{DOC}, diagram Antal placeringar per kvartal heldygnsvård vuxna",
    )
    text = f"{DOC}, löptext"
    out.fact(
        "N-BOU-HDV",
        q1("arsplaceringar", [2023])[0],
        "123,1",
        text,
        "”Per kvartal 1 2023 finns 123,1 placeringar inom heldygnsvården”",
    )
    out.fact(
        "N-BOU-HDV",
        q1("arsplaceringar", [2022])[0],
        "109,4",
        text,
        "”… jämföras med 109,4 placeringar motsvarande period år 2022”",
    )
    out.fact(
        "N-VUX-HDV",
        q1("arsplaceringar", [2023])[0],
        "42,4",
        text,
        "”Under kvartal 1 2023 42,4 placeringar inom heldygnsvården”",
    )

    ind = f"{DOC}, Indikatorer"
    for line in INDICATORS.strip().splitlines():
        measure, u22, u23, mal, mu = line.split("|")
        out.fact("N", Col(measure, "utfall", "2022"), u22, ind)
        out.fact("N", Col(measure, "utfall", "2023"), u23, ind)
        out.fact("N", Col(measure, "mal", "2023"), mal, ind)
        out.fact("N", Col(measure, "maluppfyllelse", "2023"), mu, ind)

    out.table(
        STATSBIDRAG,
        [
            Col("statsbidrag_sokt", "utfall", "2023"),
            Col("statsbidrag_erhallet", "utfall", "2023"),
            Col("statsbidrag_erhallet", "prognos", "2023", version=V),
        ],
        f"{DOC}, 6 Redovisning riktade statsbidrag (kr)",
        units={"*": "N"},
        groups=True,
    )

    fund = f"{DOC}, 8 Uppföljning av medel ur framtidsfonder (mnkr)"
    note = "Ack utfall sedan projektstart nov 2021; budget och prognos avser hela projektet"
    for group, utfall, budget, prognos in FUNDS:
        out.fact(
            "N",
            Col("framtidsfond", "utfall", "2021-11/2023-04", "mnkr"),
            utfall,
            fund,
            note,
            group=group,
        )
        out.fact(
            "N",
            Col("framtidsfond", "budget", "2021-11/2023-12", "mnkr"),
            budget,
            fund,
            note,
            group=group,
        )
        out.fact(
            "N",
            Col("framtidsfond", "prognos", "2021-11/2023-12", "mnkr", V),
            prognos,
            fund,
            note,
            group=group,
        )
    return [result, out]
