"""002: Stockholms stad, Socialtjänstrapporten 2024, kapitel Funktionsnedsättning.

Districts (stadsdelsnämnder) are units under STH; "Totalt i staden" is STH itself. A grupp
``"A: B"`` is a part of grupp ``"A"`` (see ``socdesk.core.checks.parent_group``), so a table's
rows add up to its total row. ``*`` (fewer than 4) and ``.`` (cannot be computed) are kept as
statuses, never as numbers.
"""

DOC = "002 Stockholms stad Socialtjänstrapporten 2024 Funktionsnedsättning"

DISTRICTS = {
    "Järva": "STH-JAR",
    "Hässelby-Vällingby": "STH-HV",
    "Bromma": "STH-BRO",
    "Kungsholmen": "STH-KUN",
    "Norra innerstaden": "STH-NI",
    "Södermalm": "STH-SOD",
    "Enskede-Årsta-Vantör": "STH-EAV",
    "Skarpnäck": "STH-SKA",
    "Farsta": "STH-FAR",
    "Hägersten-Älvsjö": "STH-HAG",
    "Skärholmen": "STH-SKH",
    "Socialnämnden": "STH-SN",
    "Totalt i staden": "STH",
}
NAMES = {
    "STH-JAR": "Järva",
    "STH-HV": "Hässelby-Vällingby",
    "STH-BRO": "Bromma",
    "STH-KUN": "Kungsholmen",
    "STH-NI": "Norra innerstaden",
    "STH-SOD": "Södermalm",
    "STH-EAV": "Enskede-Årsta-Vantör",
    "STH-SKA": "Skarpnäck",
    "STH-FAR": "Farsta",
    "STH-HAG": "Hägersten-Älvsjö",
    "STH-SKH": "Skärholmen",
    "STH-SN": "Socialnämnden (gruppen för bedömning och förmedling, Område hemlöshet)",
}

T9_1 = """
LSS|38|62|4 688|39|61|4 874|39|61|4 984
SoL|54|46|2 615|55|45|2 514|54|46|2 557
Både LSS och SoL|53|47|692|48|52|744|49|51|819
SFB|44|56|1 052|43|57|1 053|42|58|1 050
"""
T9_2 = """
Järva|37|63|682|53|47|300|54|46|74
Hässelby-Vällingby|36|64|497|53|47|210|50|50|118
Bromma|38|62|307|59|41|160|57|43|75
Kungsholmen|37|63|209|62|38|133|57|43|23
Norra innerstaden|39|61|409|51|49|176|53|47|78
Södermalm|42|58|530|54|46|336|39|61|46
Enskede-Årsta-Vantör|41|59|584|49|51|263|47|53|111
Skarpnäck|37|63|291|53|47|187|55|45|60
Farsta|38|62|435|59|41|317|50|50|80
Hägersten-Älvsjö|42|58|668|54|46|301|44|56|98
Skärholmen|36|64|336|59|41|148|38|63|56
Socialnämnden|31|69|36|19|81|26|.|.|0
Totalt i staden|39|61|4 984|54|46|2 557|49|51|819
"""
T9_3 = """
Personlig assistans|122|140|262|121|137|258|127|132|259
Ledsagarservice|287|409|696|302|402|704|325|403|728
Kontaktperson|193|236|429|221|242|463|230|249|479
Avlösarservice|124|337|461|131|356|487|112|323|435
Korttidsvistelse|238|375|613|246|397|643|239|397|636
Korttidstillsyn|139|303|442|162|331|493|170|367|537
Bostad med särskild service för barn/ungdomar|27|54|81|23|55|78|17|44|61
Bostad med särskild service för vuxna|701|1 016|1 717|719|1 035|1 754|750|1 065|1 815
Daglig verksamhet|1 263|1 747|3 010|1 318|1 826|3 144|1 413|1 904|3 317
TOTAL|3 094|4 617|7 711|3 243|4 781|8 024|3 383|4 884|8 267
"""
T9_4 = """
Järva|82|131|43|198|184|43|180|150|49
Hässelby-Vällingby|103|133|13|*|139|11|*|143|10
Bromma|240|103|10|199|*|7|183|*|8
Kungsholmen|273|*|7|258|*|6|*|*|6
Norra innerstaden|214|220|13|186|212|13|196|229|15
Södermalm|264|*|15|312|*|15|281|244|20
Enskede-Årsta-Vantör|140|138|26|274|223|26|193|218|24
Skarpnäck|197|127|10|198|137|11|*|139|8
Farsta|80|59|8|157|84|10|176|*|6
Hägersten-Älvsjö|134|177|15|129|240|17|138|260|18
Skärholmen|126|127|14|139|262|18|228|233|24
Totalt i staden|162|143|174|211|195|177|205|201|188
"""
T9_5 = """
Järva|97|81|12|89|98|11|118|84|16
Hässelby-Vällingby|*|*|*|33|76|4|*|*|5
Bromma|145|45|6|185|87|6|*|*|5
Kungsholmen|*|*|*|*|*|*|*|*|*
Norra innerstaden|160|129|8|255|186|9|*|171|8
Södermalm|238|115|7|167|165|5|*|*|*
Enskede-Årsta-Vantör|101|122|15|127|136|10|*|76|6
Skarpnäck|.|.|0|*|*|1|*|*|*
Farsta|172|186|10|172|154|7|*|161|7
Hägersten-Älvsjö|71|227|11|161|227|11|*|164|9
Skärholmen|101|108|14|287|239|15|102|377|9
Totalt i staden|127|129|88|174|167|81|156|157|71
"""
T9_6 = """
Gruppbostad|41|59|1 236
Servicebostad|43|57|565
Uppgift saknas|29|71|14
TOTAL|41|59|1 815
"""
T9_7 = """
Järva|12|10|22
Hässelby-Vällingby|6|9|15
Bromma|*|*|6
Kungsholmen|*|*|9
Norra innerstaden|*|*|11
Södermalm|7|14|21
Enskede-Årsta-Vantör|*|*|11
Skarpnäck|6|10|16
Farsta|*|*|7
Hägersten-Älvsjö|12|14|26
Skärholmen|*|*|6
Socialnämnden|6|7|13
Totalt i staden|68|95|163
"""
T9_8 = """
15–19 år|17|25|42
20–24 år|218|300|518
25–34 år|450|629|1 079
35–44 år|308|438|746
45–54 år|217|239|456
55–64 år|155|218|373
TOTAL|1 365|1 849|3 214
"""
T9_9 = """
Järva|7|44|6|22|3|12
Hässelby-Vällingby|2|48|5|20|9|9
Bromma|2|31|2|16|4|3
Kungsholmen|1|23|2|14|2|3
Norra innerstaden|1|18|2|13|3|3
Södermalm|2|25|4|17|4|6
Enskede-Årsta-Vantör|3|38|5|19|8|8
Skarpnäck|2|44|4|24|7|12
Farsta|2|47|7|24|6|11
Hägersten-Älvsjö|2|31|6|19|4|8
Skärholmen|9|56|11|31|9|18
Totalt i staden|3|33|4|19|5|7
"""
T9_10 = """
Avlösning|11|11|22|9|7|16|7|14|21
Boendestöd|747|706|1 453|769|755|1 524|814|776|1 590
Bostad med särskild service|33|42|75|35|29|64|31|30|61
Dagverksamhet|*|*|18|*|*|13|*|*|14
Hemtjänst|733|565|1 298|710|534|1 244|717|577|1 294
Kontaktperson|40|17|57|35|16|51|45|18|63
Korttidsvistelse barn/unga|*|*|5|*|*|10|*|*|10
Korttidsboende vuxna|14|14|28|18|17|35|6|22|28
Ledsagning|206|147|353|182|146|328|191|150|341
Trygghetslarm|454|369|823|459|375|834|481|381|862
TOTAL|2 249|1 883|4 132|2 226|1 893|4 119|2 300|1 984|4 284
"""
T9_11 = """
15–19 år|*|*|9|7|10|17
20–24 år|*|*|121|76|59|135
25–34 år|184|186|370|188|189|377
35–44 år|205|189|394|206|194|400
45–54 år|164|151|315|181|153|334
55–64 år|148|160|308|154|168|322
TOTAL|767|750|1 517|812|773|1 585
"""
T9_12 = """
Järva|7|7|7|7|7|7
Hässelby-Vällingby|7|7|7|7|7|7
Bromma|9|8|9|8|7|8
Kungsholmen|10|10|10|9|8|8
Norra innerstaden|10|9|10|10|9|10
Södermalm|9|8|8|8|7|7
Enskede-Årsta-Vantör|10|10|10|10|10|10
Skarpnäck|10|10|10|11|10|10
Farsta|12|11|12|10|10|10
Hägersten-Älvsjö|10|10|10|9|9|9
Skärholmen|11|10|10|11|10|10
Totalt i staden|9|9|9|9|9|9
"""
T9_13 = """
Järva|16|20|12|4|0
Hässelby-Vällingby|22|14|11|3|1
Bromma|15|9|5|1|*
Kungsholmen|8|10|5|2|1
Norra innerstaden|8|6|4|1|0
Södermalm|11|13|8|6|1
Enskede-Årsta-Vantör|17|13|11|5|*
Skarpnäck|31|18|12|4|*
Farsta|34|20|13|10|1
Hägersten-Älvsjö|17|12|7|1|1
Skärholmen|22|21|17|6|1
Totalt i staden|16|13|9|3|1
"""
T9_14 = """
Järva|11|11|116|9|8|39
Hässelby-Vällingby|10|11|65|10|10|22
Bromma|16|10|21|*|*|5
Kungsholmen|8|11|18|16|15|16
Norra innerstaden|16|18|47|21|17|9
Södermalm|13|12|73|10|11|79
Enskede-Årsta-Vantör|12|11|88|11|12|48
Skarpnäck|12|12|58|12|13|20
Farsta|12|13|67|14|13|64
Hägersten-Älvsjö|12|12|109|11|14|18
Skärholmen|11|11|66|10|11|21
Totalt i staden|12|12|728|12|12|341
"""
T9_15 = """
Järva|10|10|58|*|*|*
Hässelby-Vällingby|11|12|38|*|*|*
Bromma|*|*|14|*|*|*
Kungsholmen|*|*|11|*|*|*
Norra innerstaden|10|14|36|*|*|*
Södermalm|11|14|46|*|*|*
Enskede-Årsta-Vantör|10|11|50|*|*|*
Skarpnäck|10|10|18|.|.|0
Farsta|14|12|43|*|*|4
Hägersten-Älvsjö|14|11|81|*|9|6
Skärholmen|10|12|40|*|*|*
Totalt i staden|11|12|435|26|11|21
"""
# 9:16 rows × columns Ledsagning/ledsagarservice | Kontaktperson | Totalt.
T9_16 = [
    ("beslut_antal", "977|484|1461"),
    ("beslut_bifall", "703|409|1187"),
    ("beslut_delavslag", "206|0|206"),
    ("beslut_avslag", "68|75|143"),
    ("andel_delavslag", "21%|0%|14%"),
    ("andel_avslag", "7%|15%|10%"),
    ("domar", "15|4|19"),
    ("domar_mot_staden", "*|*|*"),
]
FN_GROUPS = [
    "Intellektuell funktionsnedsättning",
    "Autism",
    "Fysiska funktionsnedsättningar",
    "Neurologiska sjukdomar",
    "Demens",
    "Synskada",
    "Dövblindhet",
    "Annan",
]
T9_17 = [
    ("beslut_antal", "279|283|189|64|15|104|4|39"),
    ("beslut_bifall", "202|201|141|44|13|71|*|28"),
    ("beslut_delavslag", "61|53|36|*|*|29|0|*"),
    ("beslut_avslag", "16|29|12|*|*|4|*|*"),
]
T9_18 = [
    ("beslut_antal", "103|321|11|23|*|*|0|21"),
    ("beslut_bifall", "85|275|9|18|*|*|0|18"),
    ("beslut_delavslag", "0|0|*|0|0|0|0|*"),
    ("beslut_avslag", "18|46|*|5|*|0|0|*"),
]
T9_19 = """
Järva|9|22|31
Hässelby-Vällingby|12|11|23
Bromma|14|24|38
Kungsholmen|28|29|57
Norra innerstaden|56|57|113
Södermalm|36|43|79
Enskede-Årsta-Vantör|21|27|48
Skarpnäck|11|11|22
Farsta|13|23|36
Hägersten-Älvsjö|41|49|90
Skärholmen|9|16|25
Totalt i staden|250|312|562
"""
T9_20 = """
Järva|481 432|320 161|244 489
Hässelby-Vällingby|329 705|227 287|231 497
Bromma|909 142|567 274|500 115
Kungsholmen|912 414|728 982|607 920
Norra innerstaden|2 656 076|2 705 218|2 241 301
Södermalm|1 984 864|1 723 466|1 734 012
Enskede-Årsta-Vantör|811 635|596 271|543 179
Skarpnäck|246 631|193 813|176 157
Farsta|465 777|424 495|464 830
Hägersten-Älvsjö|1 615 170|1 430 658|1 444 377
Skärholmen|299 372|149 518|102 788
Totalt i staden|10 712 218|9 067 143|8 290 665
"""
T9_21 = """
Ledsagar-/avlösarservice (SoL & LSS)|74|75|75
Korttidshem|35|36|32
Korttidstillsyn|9|9|9
Bostad med särskild service för barn och unga|8|6|4
Bostad med särskild service vuxna|5|6|6
Daglig verksamhet|155|168|170
TOTAL|286|300|296
"""
# 9:22 and 9:23: per insats, per regi: kvinnor/flickor, män/pojkar and the regi's share (%) of
# the insats. "Uppgift saknas" is given for both kön together.
REGI = ["Egen regi", "Entreprenad", "Privat regi (LOV)", "Individuella avtal", "Intraprenad"]
T9_22_INSATS = [
    "Ledsagning (SoL)/Ledsagarservice (LSS)",
    "Avlösning (SoL)/Avlösarservice (LSS)",
    "Korttidsvistelse (LSS)",
    "Bostad med särskild service (LSS)",
    "Daglig verksamhet (LSS)",
]
T9_22 = {  # regi: [(K, M, andel) per insats]
    "Egen regi": "84 78 20|* * 24|25 38 44|424 540 53|388 452 25",
    "Entreprenad": "0 0 0|0 0 0|6 10 11|146 174 18|76 77 5",
    "Privat regi (LOV)": "309 296 76|6 12 72|27 27 38|15 15 2|871 1191 62",
    "Individuella avtal": "* * 1|0 0 0|* * 1|162 330 27|66 173 7",
    "Intraprenad": "0 0 0|0 0 0|0 0 0|0 0 0|0 0 0",
}
T9_22_SAKNAS = "23 3|* 4|8 6|9 0|23 1"
T9_22_TOTAL = "794 100|25 100|142 100|1815 100|3317 100"
T9_23_INSATS = [
    "Avlösning (SoL)/Avlösarservice (LSS)",
    "Korttidsvistelse (LSS)",
    "Korttidstillsyn (LSS)",
    "Bostad med särskild service (LSS)",
]
T9_23 = {
    "Egen regi": "26 73 23|29 29 12|98 180 52|0 0 0",
    "Entreprenad": "0 0 0|0 0 0|0 0 0|0 0 0",
    "Privat regi (LOV)": "82 240 75|134 267 81|39 111 28|* * 18",
    "Individuella avtal": "0 0 0|5 11 3|31 73 19|14 36 82",
    "Intraprenad": "0 0 0|0 0 0|0 0 0|0 0 0",
}
T9_23_SAKNAS = "10 2|19 4|5 1|0 0"
T9_23_TOTAL = "431 100|494 100|537 100|61 100"


def build(Out, Col, years, q1):
    out = Out("002_socialtjanstrapporten_2024.csv")
    out.unit("STH", "Stockholms stad", "", DOC)
    for code, name in NAMES.items():
        out.unit(code, name, "STH", DOC)

    def district_rows(text, cols, source):
        out.table(text, cols, source, units=DISTRICTS)

    def group_rows(text, cols, source, parent="", unit="STH"):
        for line in text.strip().splitlines():
            label, *values = line.split("|")
            group = parent if label == "TOTAL" else (f"{parent}: {label}" if parent else label)
            for col, v in zip(cols, values, strict=True):
                out.fact(unit, col, v, source, group=group)

    def kmt(measure, year, group=""):
        return [Col(measure, "utfall", str(year), gender=g, group=group) for g in ("K", "M", "")]

    # 9:1
    cols = []
    for y in (2022, 2023, 2024):
        cols += [
            Col("andel_kon", "utfall", str(y), gender="K"),
            Col("andel_kon", "utfall", str(y), gender="M"),
            Col("personer_med_beslut", "utfall", str(y)),
        ]
    group_rows(
        T9_1,
        cols,
        f"{DOC}, Tabell 9:1 Antal personer med insats enligt LSS, SoL respektive SFB per lagrum",
    )
    # 9:2
    cols = []
    for lagrum in ("LSS", "SoL", "Både LSS och SoL"):
        cols += [
            Col("andel_kon", "utfall", "2024", gender="K", group=lagrum),
            Col("andel_kon", "utfall", "2024", gender="M", group=lagrum),
            Col("personer_med_beslut", "utfall", "2024", group=lagrum),
        ]
    district_rows(T9_2, cols, f"{DOC}, Tabell 9:2 Antal personer med insats enligt LSS och SoL per nämnd")
    # 9:3 and 9:10
    group_rows(
        T9_3,
        kmt("verkstallda_beslut", 2022) + kmt("verkstallda_beslut", 2023) + kmt("verkstallda_beslut", 2024),
        f"{DOC}, Tabell 9:3 Antal verkställda beslut enligt LSS per insats",
        parent="LSS",
    )
    group_rows(
        T9_10,
        kmt("verkstallda_beslut", 2022) + kmt("verkstallda_beslut", 2023) + kmt("verkstallda_beslut", 2024),
        f"{DOC}, Tabell 9:10 Antal verkställda beslut enligt SoL per insats",
        parent="SoL",
    )

    # 9:4, 9:5, 9:14, 9:15: hours per month (mean) by kön and number of persons
    def hours_persons(text, group_years, source):
        cols = []
        for group, y in group_years:
            cols += [
                Col("beviljade_timmar_medel", "utfall", str(y), gender="K", group=group),
                Col("beviljade_timmar_medel", "utfall", str(y), gender="M", group=group),
                Col("personer_med_beslut", "utfall", str(y), group=group),
            ]
        district_rows(text, cols, source)

    pa_v = "Personlig assistans (LSS), vuxna"
    pa_b = "Personlig assistans (LSS), barn/ungdomar"
    hours_persons(
        T9_4,
        [(pa_v, 2022), (pa_v, 2023), (pa_v, 2024)],
        f"{DOC}, Tabell 9:4 Vuxna personer med beslut om personlig assistans enligt LSS per nämnd",
    )
    hours_persons(
        T9_5,
        [(pa_b, 2022), (pa_b, 2023), (pa_b, 2024)],
        f"{DOC}, Tabell 9:5 Barn/ungdomar med beslut om personlig assistans enligt LSS per nämnd",
    )
    hours_persons(
        T9_14,
        [("Ledsagarservice (LSS)", 2024), ("Ledsagning (SoL)", 2024)],
        f"{DOC}, Tabell 9:14 Personer med ledsagarservice enligt LSS och ledsagning enligt SoL per nämnd",
    )
    hours_persons(
        T9_15,
        [("Avlösarservice (LSS)", 2024), ("Avlösning (SoL)", 2024)],
        f"{DOC}, Tabell 9:15 Personer med avlösarservice enligt LSS och avlösning enligt SoL per nämnd",
    )
    # 9:6
    group_rows(
        T9_6,
        [
            Col("andel_kon", "utfall", "2024", gender="K"),
            Col("andel_kon", "utfall", "2024", gender="M"),
            Col("personer_med_beslut", "utfall", "2024"),
        ],
        f"{DOC}, Tabell 9:6 Personer som bor på bostad med särskild service för vuxna enligt LSS per typ av bostad",
        parent="Bostad med särskild service för vuxna (LSS)",
    )
    # 9:7
    district_rows(
        T9_7,
        kmt("personer_med_beslut", 2024, "Bostad med särskild service (LSS), personer från 69 år"),
        f"{DOC}, Tabell 9:7 Personer från 69 år med verkställt beslut om bostad med särskild service (LSS)",
    )
    # 9:8, 9:11
    group_rows(
        T9_8,
        kmt("personer_med_beslut", 2024),
        f"{DOC}, Tabell 9:8 Personer med daglig verksamhet enligt LSS per åldersgrupp och kön",
        parent="Daglig verksamhet (LSS)",
    )
    group_rows(
        T9_11,
        kmt("personer_med_beslut", 2023) + kmt("personer_med_beslut", 2024),
        f"{DOC}, Tabell 9:11 Personer med boendestöd per åldersgrupp och kön",
        parent="Boendestöd (SoL)",
    )
    # 9:9, 9:13
    lss9 = [
        "Personlig assistans",
        "Daglig verksamhet",
        "Avlösarservice",
        "Bostad med särskild service",
        "Kontaktperson",
        "Ledsagarservice",
    ]
    district_rows(
        T9_9,
        [Col("beslut_per_10000", "utfall", "2024", group=f"{g} (LSS)") for g in lss9],
        f"{DOC}, Tabell 9:9 Verkställda beslut enligt LSS per 10 000 invånare",
    )
    sol13 = [
        "Boendestöd",
        "Hemtjänst",
        "Trygghetslarm",
        "Ledsagning",
        "Bostad med särskild service",
    ]
    district_rows(
        T9_13,
        [Col("beslut_per_10000", "utfall", "2024", group=f"{g} (SoL)") for g in sol13],
        f"{DOC}, Tabell 9:13 Verkställda beslut enligt SoL per 10 000 invånare",
    )
    # 9:12
    cols = []
    for y in (2023, 2024):
        cols += [Col("boendestod_timmar_medel", "utfall", str(y), gender=g) for g in ("K", "M", "")]
    district_rows(
        T9_12,
        cols,
        f"{DOC}, Tabell 9:12 Boendestödstimmar per månad och stadsdelsnämnd, medelvärde",
    )
    # 9:16–9:18
    src = f"{DOC}, Tabell 9:16 Beslut och domar i enskilda ärenden, per insats"
    for measure, line in T9_16:
        for group, v in zip(
            ["Ledsagning/ledsagarservice", "Kontaktperson", ""], line.split("|"), strict=True
        ):
            out.fact("STH", Col(measure, "utfall", "2024"), v, src, group=group)
    for table, insats, number in (
        (T9_17, "Ledsagning/ledsagarservice", "9:17"),
        (T9_18, "Kontaktperson", "9:18"),
    ):
        src = f"{DOC}, Tabell {number} Beslut och domar avseende {insats.lower()} per funktionsnedsättning"
        for measure, line in table:
            for g, v in zip(FN_GROUPS, line.split("|"), strict=True):
                out.fact("STH", Col(measure, "utfall", "2024"), v, src, group=f"{insats}: {g}")
    # 9:19, 9:20, 9:21
    district_rows(
        T9_19,
        kmt("personer_med_beslut", 2024, "KBF"),
        f"{DOC}, Tabell 9:19 Personer med kommunalt bostadsbidrag (KBF) per nämnd",
    )
    district_rows(
        T9_20,
        years("kbf_kostnad", [2022, 2023, 2024]),
        f"{DOC}, Tabell 9:20 Kostnad för kommunalt bostadsbidrag (KBF) per stadsdelsnämnd (kr)",
    )
    group_rows(
        T9_21,
        years("lov_verksamheter", [2022, 2023, 2024]),
        f"{DOC}, Tabell 9:21 Antal verksamheter med LOV-avtal per insats",
    )
    # 9:22, 9:23
    for number, insatser, regi, saknas, total, who, (k, m) in (
        ("9:22", T9_22_INSATS, T9_22, T9_22_SAKNAS, T9_22_TOTAL, "Vuxna", ("K", "M")),
        ("9:23", T9_23_INSATS, T9_23, T9_23_SAKNAS, T9_23_TOTAL, "Barn/ungdomar", ("K", "M")),
    ):
        src = f"{DOC}, Tabell {number} Verkställda beslut för {who.lower()} per insats och regi"
        for i, insats in enumerate(insatser):
            base = f"Regi {who.lower()}, {insats}"
            for name, text in regi.items():
                kk, mm, share = text.split("|")[i].split()
                out.fact(
                    "STH",
                    Col("verkstallda_beslut", "utfall", "2024", gender=k, group=f"{base}: {name}"),
                    kk,
                    src,
                )
                out.fact(
                    "STH",
                    Col("verkstallda_beslut", "utfall", "2024", gender=m, group=f"{base}: {name}"),
                    mm,
                    src,
                )
                out.fact("STH", Col("andel_regi", "utfall", "2024", group=f"{base}: {name}"), share, src)
            n, share = saknas.split("|")[i].split()
            out.fact(
                "STH",
                Col("verkstallda_beslut", "utfall", "2024", group=f"{base}: Uppgift saknas"),
                n,
                src,
            )
            out.fact(
                "STH",
                Col("andel_regi", "utfall", "2024", group=f"{base}: Uppgift saknas"),
                share,
                src,
            )
            n, share = total.split("|")[i].split()
            out.fact("STH", Col("verkstallda_beslut", "utfall", "2024", group=base), n, src)
            out.fact("STH", Col("andel_regi", "utfall", "2024", group=base), share, src)
    return [out]
