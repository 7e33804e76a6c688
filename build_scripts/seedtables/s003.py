"""003: a kommun's socialnämnd, budget follow-up May 2024 (tkr, costs positive).

Summary page (programs and Totalt) and the seven detail pages (verksamheter). The detail
pages repeat each program's summary row as a heading; those repeats equal the summary rows
except 771's Årsbudget (139 324 on the detail page, 134 114 on the summary page), which
tests/test_seeds.py asserts against the sum of the verksamheter.
"""

DOC = "003 Socialnämnd budgetuppföljning maj 2024"

PROGRAMS = """
100|Politisk verksamhet|525|543|18|1 302
285|Bostadsanpassningsbidrag|26|458|432|1 100
750|Verkställighet IFO|5 842|6 285|443|14 506
753|Ensamkommande barn|-665|0|665|0
754|Myndighet|14 191|12 470|-1 721|29 124
756|Social omsorg|4 547|4 477|-70|10 429
770|Ledning och stödsystem|11 569|11 718|149|27 110
771|Äldreomsorg|58 611|57 760|-851|134 114
774|Hälso-och sjukvårdsinsatser|17 542|16 881|-661|39 139
781|Funktionshinderomsorg|29 200|28 633|-567|67 101
"""
TOTAL = "SN|Socialnämnd|141 388|139 225|-2 163|323 925"

DETAIL = {
    "750": """
7500|Ledning verkställighet IFO|738|720|-18|1 646
7540|Familjecentral|659|489|-170|1 128
7546|Familj-och ungdomsteamet (FUT)|2 163|2 294|131|5 297
7557|Mötesplats|1 157|1 440|283|3 342
7559|Rörlig elevstöd (RES)|292|562|270|1 291
7566|Ungdomsmottagning (UM)|126|26|-100|53
7567|Fältare|707|754|47|1 749
""",
    "754": """
7300|Myndighet ledning|1 173|1 143|-30|2 623
7302|Myndighet mottagning|848|1 041|193|2 388
7505|Jour/tränningslägenheter|48|46|-2|111
7506|Social omsorg|192|196|4|470
7511|Familjerådgivning|39|58|19|140
7512|Familjerätt|432|417|-15|1 000
7541|Öppna insatser, barn och unga|655|482|-173|1 156
7542|Vård för barn, institution|637|0|-637|0
7543|Vård för barn, familjehem|3 075|2 470|-605|5 929
7545|Handläggare insats BoU|3 426|2 942|-484|6 765
7550|Stödboende|303|0|-303|0
7551|Öppna insatser missbruk|302|217|-85|520
7552|Vård för missbrukare|94|301|207|723
7553|Brottsoffer, vuxna|480|258|-222|620
7555|Handläggare vuxna|2 487|2 899|412|6 679
""",
    "756": """
7560|Ledning verkställighet SO|358|370|12|848
7562|Boendestöd|1 414|1 464|50|3 400
7564|Tellus serviceboende|2 460|2 414|-46|5 632
7767|Jupiter|315|229|-86|549
""",
    "770": """
7100|Socialförvaltning Ledning|2 600|3 264|664|7 493
7101|Gemensamt SOC|755|595|-160|1 428
7200|STAB Ledning|774|703|-71|1 619
7201|STAB Administration|3 154|3 026|-128|6 951
7202|STAB Kvalitet|3 025|2 791|-234|6 406
7704|Kompetenshöjande insatser|302|417|115|1 000
7705|Verksamhetssystem|959|922|-37|2 213
7776|Resor kommun|0|0|0|0
""",
    "771": """
7400|ÄO Ledning|3 590|3 398|-192|7 813
7401|Arbetstidsdirektiv ÄO|0|1 333|1 333|3 200
7711|Särskilt boende Furugården|8 286|8 561|275|19 991
7712|Särskilt boende Sörgården|3 650|3 578|-72|8 262
7718|Kostverksamhet|2 433|3 074|641|7 095
7719|Mejeriet ÄO|5 155|4 358|-797|10 183
7720|Aktivitetshus Äldre|862|955|93|2 232
7730|Dagverksamhet/korttidsenhet Asken|414|467|53|1 083
7732|Demensboende Eken/Boken|3 389|3 555|166|8 265
7733|Demens Hagen/Kullen|3 418|3 226|-192|7 447
7749|Nattorganisation|9 059|8 782|-277|20 370
7762|Hemtjänst|17 175|15 169|-2 006|35 178
7764|Trygghetslarm hemtjänst|250|279|29|669
7768|Korttidsenhet Granen|2 218|2 110|-108|4 931
7779|Avgifter hemtjänst|-1 288|-1 085|203|2 605
""",
    "774": """
7600|HS Ledning|1 244|1 172|-72|2 700
7601|Arbetstidsdirektiv HS|0|375|375|900
7741|Sjukvård|9 644|8 380|-1 264|19 342
7744|Arbets-och fysioterapi|2 920|2 903|-17|6 706
7746|Tekniska hjälpmedel|1 949|1 388|-561|3 331
7751|Intensiv HemRehabilitering (IHR)|1 784|2 663|879|6 160
7773|LOV Hemsjukvård|1|0|-1|0
""",
    "781": """
7801|Arbetstidsdirektiv FO|0|375|375|900
7803|Ersättning till FK (SFB)|1 546|1 976|430|4 742
7804|Personlig assistans|2 013|2 292|279|5 500
7813|Sjuklöner|106|167|61|400
7820|Tjänsteköp LSS|1 735|1 500|-235|3 600
7821|Ledsagarservice|135|198|63|476
7822|Kontaktperson LSS|127|190|63|455
7829|Handläggare LSS|634|643|9|1 478
7831|Korttidsvistelse/korttidstyllsyn LSS|2 323|1 941|-382|4 515
7832|Daglig verksamhet|4 181|4 006|-175|9 291
7852|Gruppbostad Smedjegatan|3 439|2 467|-972|5 740
7853|Gruppbostad Ringvägen|2 129|2 217|88|5 153
7854|Gruppbostad Fågelåsvägen|2 349|2 488|139|5 828
7855|Gruppbostad Stationsgatan|2 342|2 328|-14|5 422
7856|Gruppbostad Östra Allégatan|2 217|2 276|59|5 288
7859|Mejeriet LSS|2 092|2 798|706|6 541
7860|Ledning verkställighet FO|1 832|771|-1 061|1 772
""",
}

PAGES = {
    "750": "s.2",
    "754": "s.3",
    "756": "s.4",
    "770": "s.4",
    "771": "s.5",
    "774": "s.6",
    "781": "s.7",
}


def build(Out, Col, years, q1):
    out = Out("003_budgetuppfoljning_maj_2024.csv")
    cols = [
        Col("netto", "utfall", "2024-01/2024-05", "tkr"),
        Col("netto", "budget", "2024-01/2024-05", "tkr"),
        Col("netto", "avvikelse", "2024-01/2024-05", "tkr"),
        Col("netto", "budget", "2024", "tkr"),
    ]

    def rows(text, parent, source):
        for line in text.strip().splitlines():
            code, name, *values = line.split("|")
            out.unit(code, name, parent, source)
            for col, v in zip(cols, values, strict=True):
                out.fact(code, col, v, source)

    rows(TOTAL, "", f"{DOC}, s.1 Totalt")
    rows(PROGRAMS, "SN", f"{DOC}, s.1 sammanställning per program")
    for program, text in DETAIL.items():
        rows(text, program, f"{DOC}, {PAGES[program]} program {program}")
    return [out]
