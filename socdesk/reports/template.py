"""Report templates: a report defined as data (TOML, read with ``tomllib``), not as code.

A template is an ordered list of sections – title page, heading, text, table, chart, page break,
the avvikelseanalyser – whose tables name their rows and columns by *cell dimensions* (unit,
measure, scenario, period, kön, grupp, version, a derived economy value). The format is
described for a controller in docs/templates.md; ``load`` reads and validates one into frozen
dataclasses, every error a Swedish message naming the file, the section (number and id), the
key, and the line where it can be found. ``check_against`` checks it against a database (units,
measures, the board). ``socdesk.reports.compose`` turns a template into a ``Report``.

Shipped templates are ``resources/templates/*.toml``; a kommun's own copies live in the user
data folder's ``rapportmallar/`` (``user_dir``) and are found first.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from socdesk.core.errors import ParseError, SocdeskError
from socdesk.core.facts import Scenario
from socdesk.core.i18n import _
from socdesk.core.periods import parse_period
from socdesk.resources import resource
from socdesk.store.report_texts import template_hash

KINDS = ("manad", "tertial", "nyckeltal", "statistik")
SCALES = ("kr", "tkr", "mnkr")
SECTION_TYPES = (
    "title_page",
    "heading",
    "text",
    "table",
    "chart",
    "page_break",
    "analyses",
    "counts",
    "remaining",
)
TYPE_NAMES = {  # as a message names a section
    "title_page": _("titelsida"),
    "heading": _("rubrik"),
    "text": _("text"),
    "table": _("tabell"),
    "chart": _("diagram"),
    "page_break": _("sidbrytning"),
    "analyses": _("avvikelseanalyser"),
    "counts": _("statistik efter insats och kön"),
    "remaining": _("återstående arbete"),
}
DIMENSIONS = ("unit", "measure", "scenario", "period", "kon", "grupp", "subgroup", "version", "value")
RELATIVE_PERIODS = (
    "month",
    "ytd",
    "year",
    "tertial",
    "quarter",
    "Q1",
    "Q2",
    "Q3",
    "Q4",
    "T1",
    "T2",
    "T3",
    "year-1",
    "ytd-1",
)
# Derived economy figures (``reports.economy.economy_rows``): the period they need.
VALUES_IN_VIEW = ("utfall", "budget", "avvikelse", "avvikelse_pct", "forbrukat_pct")
VALUES_OF_YEAR = ("arsbudget", "prognos", "prognosavvikelse")
VALUES = VALUES_IN_VIEW + VALUES_OF_YEAR
VIEW_PERIODS = ("month", "ytd", "tertial", "quarter")
NET = "netto"  # the measure the economy figures are of
KON = ("K", "M", "")
PLACEHOLDERS = ("år", "månad", "period", "tertial", "nämnd", "namn")  # {namn}: the unit of an «each»
PLACEHOLDERS += ("år-1", "år-2", "år-3", "år-4")  # the years before the report's
# "year-2", "ytd-3" …: the year (to date) N years before the report's
YEARS_BACK = re.compile(r"(year|ytd)-([1-9][0-9]?)")

REPORT_KEYS = {"name", "kind", "title", "board", "scale", "costs", "codes", "legend", "lang", "disclosure"}
COMMON_KEYS = {"type", "each", "deep"}
SECTION_KEYS = {
    "title_page": set(),
    "heading": {"text", "level"},
    "text": {"key", "default", "label"},
    "table": {
        "id",
        "number",
        "title",
        "analysis",
        "legend",
        "scale",
        "column",
        "row",
        "column_group",
        "costs",
        *DIMENSIONS,
    },
    "chart": {"id", "number", "title", "kind", "categories", "series", "values", "scale", *DIMENSIONS},
    "page_break": set(),
    "analyses": {"under", "title", "scope", "unit"},
    "counts": {"unit", "period"},
    "remaining": set(),
}
COLUMN_KEYS = {"id", "label", "kind", "decimals", "scale", "repeat", "from", "to", "share_of", *DIMENSIONS}
COLUMN_KEYS.add("span")
COLUMN_KINDS = ("text", "figure", "measure_unit")  # measure_unit: the row's unit of measure ("dygn")
REPEATS = ("years", "quarters")
ROW_KEYS = {
    "label",
    "children",
    "depth",
    "sum_label",
    "heading",
    "total",
    "measures",
    "having",
    *DIMENSIONS,
}
SERIES_KEYS = {"label", *DIMENSIONS}
CHART_KINDS = ("line", "bar", "stacked", "cumulative")


class TemplateError(SocdeskError):
    """A template that cannot be used; ``messages`` lists every problem found."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class ColumnSpec:
    label: str
    dims: dict[str, str] = field(default_factory=dict)
    id: str = ""
    kind: str = "figure"  # figure | text (the label column)
    decimals: int | None = None  # None: as stated
    scale: str = ""  # "" the report's (money), kr/tkr/mnkr
    repeat: str = ""  # "years": one column per year from..to relative to the report's year
    start: int = 0
    end: int = 0
    share_of: str = ""  # a column id: this column is its share in %
    span: str = ""  # "grupp": the grupp's figure (both kön), printed once over its rows (002's regi)


@dataclass(frozen=True)
class RowSpec:
    label: str = ""
    dims: dict[str, str] = field(default_factory=dict)
    children: str = ""  # one row per child of this unit
    depth: int = 1  # 2: each child with its own children below it (003's detail pages)
    sum_label: str = ""  # with depth 2: a sum row (the program's stated figures) after its children
    heading: str = ""  # a row with a label and no figures
    total: str = ""  # "" | "row" (an ordinary row printed as a total) | "sum" (sum of the rows above)
    measures: str = ""  # "all": one row per measure with facts for the unit in the columns' periods
    having: str = ""  # with measures: only those with facts in this scenario (e.g. "mal": indicators)


@dataclass(frozen=True)
class Section:
    number: int  # 1-based, as messages name it
    type: str
    id: str = ""
    text: str = ""  # heading text
    level: int = 1
    key: str = ""  # text: the report text key
    default: str = ""
    title: str = ""
    table_number: str = ""
    dims: dict[str, str] = field(default_factory=dict)
    columns: tuple[ColumnSpec, ...] = ()
    rows: tuple[RowSpec, ...] = ()
    column_groups: tuple[tuple[str, int], ...] = ()
    analysis: bool = False
    legend: str = ""
    scale: str = ""
    chart_kind: str = "line"
    categories: ColumnSpec | None = None
    series: tuple[RowSpec, ...] = ()
    values: bool = False
    under: str = ""
    scope: str = "subtree"  # analyses: the unit's and its descendants' ("subtree") or its own ("unit")
    each: str = ""  # repeated for each child of this unit (consecutive sections together)
    deep: bool = False  # with each: for every descendant, in tree order
    costs: str = ""  # a table's own sign of costs ("positive" | "negative"); "" the report's
    line: int | None = None  # where it starts in the file

    def where(self, path: str) -> str:
        """ "mall.toml, avsnitt 5 (tabell «resultat», rad 40)" for messages."""
        what = TYPE_NAMES.get(self.type, self.type)
        inner = f"{what} {self.table_number}" if self.table_number else what
        inner = f"{inner} «{self.id}»" if self.id else inner
        if self.line is not None:
            inner += _(", rad {n}").format(n=self.line)
        return _("{f}: avsnitt {n} ({w})").format(f=path, n=self.number, w=inner)


@dataclass(frozen=True)
class Template:
    name: str
    kind: str
    title: str
    sections: tuple[Section, ...]
    board: str = ""
    scale: str = "tkr"
    costs: str = "positive"  # "negative": costs printed negative, as in the annual accounts
    codes: bool = False
    legend: str = ""
    lang: str = "sv"
    # "protect": counts of persons below the threshold are printed * (röjandekontroll);
    # "source": the figures as the (published) source printed them
    disclosure: str = "protect"
    path: str = ""  # the file it was read from ("" for a text)
    text: str = ""  # the TOML as read (kept with the database)

    @property
    def hash(self) -> str:
        return template_hash(self.text)

    @property
    def costs_negative(self) -> bool:
        return self.costs == "negative"

    def tables(self) -> list[Section]:
        return [s for s in self.sections if s.type == "table"]


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    kind: str
    board: str
    title: str
    path: Path
    shipped: bool


# --- where templates are ----------------------------------------------------------------------
def shipped_dir() -> Path:
    return resource("templates")


def shipped() -> list[Path]:
    return sorted(shipped_dir().glob("*.toml"))


def user_dir(basedir: str | Path | None = None) -> Path:
    from socdesk.paths import data_dir

    path = data_dir(basedir) / "rapportmallar"
    path.mkdir(parents=True, exist_ok=True)
    return path


def available(basedir: str | Path | None = None) -> list[TemplateInfo]:
    """Every template that can be read: the kommun's own first, then the shipped ones; a
    name defined twice is the kommun's."""
    out: dict[str, TemplateInfo] = {}
    for folder, is_shipped in ((user_dir(basedir), False), (shipped_dir(), True)):
        for path in sorted(folder.glob("*.toml")):
            try:
                t = load(path)
            except TemplateError:
                continue  # shown by ``socdesk template validate`` and the dialog, not listed here
            out.setdefault(t.name, TemplateInfo(t.name, t.kind, t.board, t.title, path, is_shipped))
    return list(out.values())


def find(name: str, basedir: str | Path | None = None) -> Path:
    """The file of a template by name (or a path to a template file)."""
    as_path = Path(name)
    if as_path.suffix.lower() == ".toml" and as_path.exists():
        return as_path
    for info in available(basedir):
        if info.name == name:
            return info.path
    names = ", ".join(sorted(i.name for i in available(basedir)))
    raise SocdeskError(_("Rapportmallen «{n}» finns inte. Mallar: {m}.").format(n=name, m=names))


def copy(name: str, new_name: str, basedir: str | Path | None = None) -> Path:
    """A user copy of a template with ``name`` changed; the copy is validated before it is kept."""
    if not re.fullmatch(r"[A-Za-z0-9åäöÅÄÖ_-]+", new_name):
        raise SocdeskError(
            _("Mallens nya namn «{n}» får bara ha bokstäver, siffror, - och _.").format(n=new_name)
        )
    if any(i.name == new_name for i in available(basedir)):
        raise SocdeskError(_("Det finns redan en mall som heter «{n}».").format(n=new_name))
    source = find(name, basedir)
    text = source.read_text(encoding="utf-8")
    old = load(source).name
    pattern = re.compile(r'^(\s*name\s*=\s*)(["\'])' + re.escape(old) + r"\2", re.MULTILINE)
    new_text, n = pattern.subn(lambda m: f"{m[1]}{m[2]}{new_name}{m[2]}", text, count=1)
    if n != 1:
        raise SocdeskError(_("{f}: hittar inte raden name = … att byta namn på.").format(f=source.name))
    load(new_text, f"{new_name}.toml")
    target = user_dir(basedir) / f"{new_name}.toml"
    from socdesk.files import write_atomic

    write_atomic(target, new_text)
    return target


# --- reading ----------------------------------------------------------------------------------
_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def load(source: str | Path, name: str | None = None) -> Template:
    """Read and validate a template from a file (a ``Path``) or from its text (``str``, with
    ``name`` the file name its messages use)."""
    if isinstance(source, Path):
        shown = name or source.name
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise TemplateError([_("{f}: kan inte läsas ({e}).").format(f=shown, e=err)]) from err
        path = str(source)
    else:
        text, shown, path = source, name or _("mallen"), ""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        m = _TOML_POSITION.match(str(err))
        if m:
            msg = _("{f}, rad {r}, kolumn {k}: ogiltig TOML ({m}).").format(
                f=shown, r=m["line"], k=m["col"], m=m["msg"]
            )
        else:
            msg = _("{f}: ogiltig TOML ({m}).").format(f=shown, m=err)
        raise TemplateError([msg]) from err
    reader = _Reader(shown, text)
    template = reader.template(data, path, text)
    if reader.errors:
        raise TemplateError(reader.errors)
    assert template is not None
    return template


class _Reader:
    def __init__(self, shown: str, text: str) -> None:
        self.shown = shown
        self.errors: list[str] = []
        # the line each [[section]] starts on (tomllib gives no positions for values)
        self.lines = [
            i
            for i, line in enumerate(text.splitlines(), start=1)
            if re.match(r"\s*\[\[\s*section\s*\]\]", line)
        ]

    def error(self, where: str, text: str) -> None:
        self.errors.append(f"{where}: {text}")

    def unknown(self, data: dict, allowed: set[str], where: str, what: str = "") -> None:
        for key in data:
            if key not in allowed:
                hint = _close(key, allowed)
                self.error(
                    where,
                    _("okänd nyckel «{k}»{w}{h}").format(
                        k=key,
                        w=f" {what}" if what else "",
                        h=_(" (menar du «{h}»?)").format(h=hint) if hint else "",
                    ),
                )

    def string(self, data: dict, key: str, where: str, default: str = "", required: bool = False) -> str:
        if key not in data:
            if required:
                self.error(where, _("«{k}» saknas").format(k=key))
            return default
        v = data[key]
        if not isinstance(v, str):
            self.error(where, _("«{k}» ska vara en text inom citattecken, inte {v!r}").format(k=key, v=v))
            return default
        return v

    def boolean(self, data: dict, key: str, where: str) -> bool:
        v = data.get(key, False)
        if not isinstance(v, bool):
            self.error(where, _("«{k}» ska vara true eller false").format(k=key))
            return False
        return v

    def integer(self, data: dict, key: str, where: str, default: int) -> int:
        v = data.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int):
            self.error(where, _("«{k}» ska vara ett heltal").format(k=key))
            return default
        return v

    # --- the whole template ---------------------------------------------------------------
    def template(self, data: dict, path: str, text: str) -> Template | None:
        self.unknown(data, {"report", "section"}, self.shown, _("överst i mallen"))
        report = data.get("report")
        if not isinstance(report, dict):
            self.errors.append(_("{f}: avsnittet [report] saknas").format(f=self.shown))
            report = {}
        where = f"{self.shown}: [report]"
        self.unknown(report, REPORT_KEYS, where)
        name = self.string(report, "name", where, required=True)
        if name and not re.fullmatch(r"[A-Za-z0-9åäöÅÄÖ_-]+", name):
            self.error(where, _("«name» får bara ha bokstäver, siffror, - och _, inte «{n}»").format(n=name))
        kind = self.string(report, "kind", where, required=True)
        if kind and kind not in KINDS:
            self.error(
                where, _("okänt slag «{k}» (manad, tertial, nyckeltal eller statistik)").format(k=kind)
            )
        title = self.string(report, "title", where, required=True)
        self.placeholders(title, where, "title")
        scale = self.string(report, "scale", where, "tkr")
        if scale not in SCALES:
            self.error(where, _("okänd skala «{s}» (kr, tkr eller mnkr)").format(s=scale))
        costs = self.string(report, "costs", where, "positive")
        if costs not in ("positive", "negative"):
            self.error(where, _('«costs» ska vara "positive" eller "negative", inte «{c}»').format(c=costs))
        disclosure = self.string(report, "disclosure", where, "protect")
        if disclosure not in ("protect", "source"):
            self.error(
                where, _('«disclosure» ska vara "protect" eller "source", inte «{d}»').format(d=disclosure)
            )
        sections_data = data.get("section", [])
        if not isinstance(sections_data, list) or not sections_data:
            self.errors.append(_("{f}: mallen har inga avsnitt ([[section]])").format(f=self.shown))
            sections_data = []
        sections = []
        ids: dict[str, int] = {}
        for i, s in enumerate(sections_data, start=1):
            line = self.lines[i - 1] if i - 1 < len(self.lines) else None
            section = self.section(i, s, line)
            if section is None:
                continue
            if section.id:
                if section.id in ids:
                    self.error(
                        section.where(self.shown),
                        _("id «{i}» finns redan i avsnitt {n}").format(i=section.id, n=ids[section.id]),
                    )
                ids[section.id] = i
            sections.append(section)
        return Template(
            name=name,
            kind=kind,
            title=title,
            sections=tuple(sections),
            board=self.string(report, "board", where),
            scale=scale,
            costs=costs,
            codes=self.boolean(report, "codes", where),
            legend=self.string(report, "legend", where),
            lang=self.string(report, "lang", where, "sv"),
            disclosure=disclosure,
            path=path,
            text=text,
        )

    def placeholders(self, text: str, where: str, key: str, extra: tuple[str, ...] = ()) -> None:
        for m in re.finditer(r"\{([^{}]*)\}", text):
            if m[1] not in (*PLACEHOLDERS, *extra):
                allowed = ", ".join("{" + p + "}" for p in (*PLACEHOLDERS, *extra))
                self.error(
                    where,
                    _("«{k}»: okänd platshållare {{{p}}} (använd {a})").format(k=key, p=m[1], a=allowed),
                )

    # --- sections ------------------------------------------------------------------------------
    def section(self, number: int, data: object, line: int | None) -> Section | None:
        section = self._section(number, data, line)
        if section is None or not isinstance(data, dict):
            return section
        where = section.where(self.shown)
        each = self.string(data, "each", where)
        deep = self.boolean(data, "deep", where)
        if deep and not each:
            self.error(where, _("«deep» hör till ett avsnitt med «each»"))
        if not each and "{unit}" in repr(data):
            self.error(where, _("«{unit}» hör till ett avsnitt med «each» (en enhet i taget)"))
        scope = self.string(data, "scope", where, "subtree")
        if scope not in ("subtree", "unit"):
            self.error(where, _('«scope» ska vara "subtree" eller "unit", inte «{s}»').format(s=scope))
        return replace(section, each=each, deep=deep, scope=scope)

    def _section(self, number: int, data: object, line: int | None) -> Section | None:
        if not isinstance(data, dict):
            self.errors.append(
                _("{f}: avsnitt {n} är ingen tabell av nycklar").format(f=self.shown, n=number)
            )
            return None
        kind = data.get("type")
        sid = data.get("id", "") if isinstance(data.get("id", ""), str) else ""
        shown_number = data.get("number", "") if isinstance(data.get("number", ""), str) else ""
        probe = Section(number, str(kind or "?"), sid, table_number=shown_number, line=line)
        where = probe.where(self.shown)
        if kind not in SECTION_TYPES:
            self.error(
                where,
                _("okänd typ «{t}» (använd {a})").format(t=kind, a=", ".join(SECTION_TYPES))
                if kind
                else _("«type» saknas"),
            )
            return None
        self.unknown(data, COMMON_KEYS | SECTION_KEYS[kind], where)
        if kind == "heading":
            text = self.string(data, "text", where, required=True)
            self.placeholders(text, where, "text")
            level = self.integer(data, "level", where, 1)
            if not 1 <= level <= 3:
                self.error(where, _("«level» ska vara 1, 2 eller 3"))
            return Section(number, kind, text=text, level=level, line=line)
        if kind == "text":
            key = self.string(data, "key", where, required=True)
            return Section(
                number,
                kind,
                key=key,
                default=self.string(data, "default", where),
                title=self.string(data, "label", where),
                line=line,
            )
        if kind == "analyses":
            if "unit" in data and "under" in data:
                self.error(where, _("«unit» (en enhets analys) och «under» (alla under) på samma avsnitt"))
            return Section(
                number,
                kind,
                under=self.string(data, "under", where, "{board}"),
                title=self.string(data, "title", where),
                dims={"unit": self.string(data, "unit", where)} if "unit" in data else {},
                line=line,
            )
        if kind == "counts":
            return Section(number, kind, dims=self.dims(data, where), line=line)
        if kind in ("title_page", "page_break", "remaining"):
            return Section(number, kind, line=line)
        if kind == "table":
            return self.table(number, data, where, line)
        return self.chart(number, data, where, line)

    def dims(self, data: dict, where: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for key in DIMENSIONS:
            if key not in data:
                continue
            v = data[key]
            if not isinstance(v, str):
                self.error(where, _("«{k}» ska vara en text inom citattecken, inte {v!r}").format(k=key, v=v))
                continue
            if key == "scenario":
                try:
                    Scenario.parse(v)
                except ParseError:
                    self.error(
                        where,
                        _("okänt scenario «{s}» (utfall, budget, prognos, mal, avvikelse, …)").format(s=v),
                    )
                    continue
                v = Scenario.parse(v).value
            elif key == "period" and v not in RELATIVE_PERIODS and not YEARS_BACK.fullmatch(v):
                try:
                    parse_period(v)
                except ParseError:
                    self.error(
                        where,
                        _("okänd period «{p}» (använd {a} eller en period som 2023-Q1)").format(
                            p=v, a=", ".join(RELATIVE_PERIODS)
                        ),
                    )
                    continue
            elif key == "kon" and v not in KON:
                self.error(where, _('«kon» ska vara "K", "M" eller "" (totalt), inte «{v}»').format(v=v))
                continue
            elif key == "value" and v not in VALUES:
                self.error(where, _("okänt värde «{v}» (använd {a})").format(v=v, a=", ".join(VALUES)))
                continue
            out[key] = v
        return out

    def table(self, number: int, data: dict, where: str, line: int | None) -> Section:
        tid = self.string(data, "id", where, required=True)
        title = self.string(data, "title", where)
        self.placeholders(title, where, "title")
        dims = self.dims(data, where)
        scale = self.string(data, "scale", where)
        if scale and scale not in SCALES:
            self.error(where, _("okänd skala «{s}» (kr, tkr eller mnkr)").format(s=scale))
        columns = []
        raw_columns = data.get("column", [])
        if not isinstance(raw_columns, list) or not raw_columns:
            self.error(where, _("tabellen har inga kolumner ([[section.column]])"))
            raw_columns = []
        for j, c in enumerate(raw_columns, start=1):
            col = self.column(c, f"{where}, {_('kolumn')} {j}", first=j == 1)
            if col is not None:
                columns.append(col)
        ids = [c.id for c in columns if c.id]
        for c in columns:
            if c.share_of and c.share_of not in ids:
                self.error(
                    where,
                    _("kolumnen «{l}»: share_of «{s}» är ingen kolumns id").format(l=c.label, s=c.share_of),
                )
        rows = []
        raw_rows = data.get("row", [])
        if not isinstance(raw_rows, list) or not raw_rows:
            self.error(where, _("tabellen har inga rader ([[section.row]])"))
            raw_rows = []
        for j, r in enumerate(raw_rows, start=1):
            row = self.row(r, f"{where}, {_('rad')} {j}")
            if row is not None:
                rows.append(row)
        groups = []
        for j, g in enumerate(
            data.get("column_group", []) if isinstance(data.get("column_group"), list) else [], 1
        ):
            gw = f"{where}, column_group {j}"
            if not isinstance(g, dict):
                self.error(gw, _("ska vara en tabell av nycklar"))
                continue
            self.unknown(g, {"label", "span"}, gw)
            groups.append((self.string(g, "label", gw, required=True), self.integer(g, "span", gw, 1)))
        section = Section(
            number,
            "table",
            id=tid,
            title=title,
            table_number=self.string(data, "number", where),
            dims=dims,
            columns=tuple(columns),
            rows=tuple(rows),
            column_groups=tuple(groups),
            analysis=self.boolean(data, "analysis", where),
            legend=self.string(data, "legend", where),
            scale=scale,
            costs=self.costs(data, where),
            line=line,
        )
        self.cross_check(section, where)
        return section

    def costs(self, data: dict, where: str) -> str:
        costs = self.string(data, "costs", where)
        if costs and costs not in ("positive", "negative"):
            self.error(where, _('«costs» ska vara "positive" eller "negative", inte «{c}»').format(c=costs))
            return ""
        return costs

    def span(self, data: dict, where: str) -> str:
        value = self.string(data, "span", where)
        if value and value != "grupp":
            self.error(where, _('«span» kan bara vara "grupp", inte «{s}»').format(s=value))
        return value

    def column(self, data: object, where: str, first: bool) -> ColumnSpec | None:
        if not isinstance(data, dict):
            self.error(where, _("ska vara en tabell av nycklar"))
            return None
        self.unknown(data, COLUMN_KEYS, where)
        label = self.string(data, "label", where, required=not data.get("repeat"))
        kind = self.string(data, "kind", where, "text" if first else "figure")
        if kind not in COLUMN_KINDS:
            self.error(
                where, _("okänd kolumntyp «{k}» (använd {a})").format(k=kind, a=", ".join(COLUMN_KINDS))
            )
        decimals: int | None = None
        if "decimals" in data and data["decimals"] != "auto":
            decimals = self.integer(data, "decimals", where, 0)
            if not 0 <= decimals <= 4:
                self.error(where, _('«decimals» ska vara 0–4 eller "auto"'))
        scale = self.string(data, "scale", where)
        if scale and scale not in SCALES:
            self.error(where, _("okänd skala «{s}» (kr, tkr eller mnkr)").format(s=scale))
        repeat = self.string(data, "repeat", where)
        if repeat and repeat not in REPEATS:
            self.error(where, _('«repeat» kan vara "years" eller "quarters", inte «{r}»').format(r=repeat))
        start = self.integer(data, "from", where, 0)
        end = self.integer(data, "to", where, 0)
        self.placeholders(label, where, "label")
        return ColumnSpec(
            label=label,
            dims=self.dims(data, where),
            id=self.string(data, "id", where),
            kind=kind,
            decimals=decimals,
            scale=scale,
            repeat=repeat,
            start=start,
            end=end,
            share_of=self.string(data, "share_of", where),
            span=self.span(data, where),
        )

    def row(self, data: object, where: str) -> RowSpec | None:
        if not isinstance(data, dict):
            self.error(where, _("ska vara en tabell av nycklar"))
            return None
        self.unknown(data, ROW_KEYS, where)
        total = data.get("total", False)
        if total is True:
            total = "row"
        elif total is False:
            total = ""
        elif total != "sum":
            self.error(where, _('«total» ska vara true, false eller "sum"'))
            total = ""
        depth = self.integer(data, "depth", where, 1)
        if depth not in (1, 2):
            self.error(where, _("«depth» ska vara 1 eller 2"))
        measures = self.string(data, "measures", where)
        having = self.string(data, "having", where)
        if having:
            try:
                having = Scenario.parse(having).value
            except ParseError:
                self.error(where, _("«having»: okänt scenario «{s}»").format(s=having))
        if having and not measures:
            self.error(where, _("«having» hör till en rad med «measures»"))
        if measures and measures != "all":
            self.error(where, _('«measures» kan bara vara "all"'))
        label = self.string(data, "label", where)
        sum_label = self.string(data, "sum_label", where)
        self.placeholders(label, where, "label", ("namn",))
        self.placeholders(sum_label, where, "sum_label", ("namn",))
        row = RowSpec(
            label=label,
            dims=self.dims(data, where),
            children=self.string(data, "children", where),
            depth=depth,
            sum_label=sum_label,
            heading=self.string(data, "heading", where),
            total=total,
            measures=measures,
            having=having,
        )
        kinds = [k for k in ("children", "heading", "measures") if getattr(row, k)]
        if total == "sum":
            kinds.append("total")
        if len(kinds) > 1:
            self.error(where, _("en rad kan inte vara både {a} och {b}").format(a=kinds[0], b=kinds[1]))
        if row.heading and row.dims:
            self.error(where, _("en rubrikrad har inga siffror: ta bort {k}").format(k=", ".join(row.dims)))
        if total == "sum" and row.dims:
            self.error(
                where, _("en summarad summerar raderna ovanför: ta bort {k}").format(k=", ".join(row.dims))
            )
        if row.children and "unit" in row.dims:
            self.error(where, _("«children» och «unit» på samma rad"))
        if (row.depth != 1 or row.sum_label) and not row.children:
            self.error(where, _("«depth» och «sum_label» hör till en rad med «children»"))
        return row

    def cross_check(self, s: Section, where: str) -> None:
        """What the parts of a table say together: no dimension set by both a row and a column,
        derived values with the period they need, sums of one measure only."""
        for j, col in enumerate(s.columns, start=1):
            if col.kind == "text":
                continue
            for i, row in enumerate(s.rows, start=1):
                both = sorted(set(row.dims) & set(col.dims))
                if both:
                    self.error(
                        where,
                        _("rad {i} och kolumn {j} («{c}») anger båda «{k}»").format(
                            i=i, j=j, c=col.label, k="», «".join(both)
                        ),
                    )
        for col in s.columns:
            for i, row in enumerate(s.rows, start=1):
                if row.heading or row.total == "sum":
                    continue
                merged = {**s.dims, **row.dims, **col.dims}
                value = merged.get("value")
                if value is None or col.kind == "text":
                    continue
                period = merged.get("period", "ytd")
                allowed = VIEW_PERIODS if value in VALUES_IN_VIEW else (*VIEW_PERIODS, "year")
                if period not in allowed:
                    self.error(
                        where,
                        _("kolumn «{c}», rad {i}: värdet «{v}» kräver period {a}, inte «{p}»").format(
                            c=col.label, i=i, v=value, a=", ".join(allowed), p=period
                        ),
                    )
                if merged.get("measure", NET) != NET or merged.get("scenario"):
                    self.error(
                        where,
                        _(
                            "kolumn «{c}», rad {i}: värdet «{v}» är ett ekonomivärde (netto); "
                            "ange inte mått eller scenario med det"
                        ).format(c=col.label, i=i, v=value),
                    )
                break
        # a sum row: the rows above it back to the previous total/heading must show one measure
        block: list[tuple[int, RowSpec]] = []
        for i, row in enumerate(s.rows, start=1):
            if row.heading or row.total == "row":
                block = []
                continue
            if row.total != "sum":
                block.append((i, row))
                continue
            label = row.label or _("Summa")
            problems = sum_problems(s, [r for _i, r in block])
            if problems:
                self.error(where, _("rad «{l}»: {p}").format(l=label, p=problems))
            block = []

    # --- charts ------------------------------------------------------------------------------
    def chart(self, number: int, data: dict, where: str, line: int | None) -> Section:
        cid = self.string(data, "id", where, required=True)
        kind = self.string(data, "kind", where, "line")
        if kind not in CHART_KINDS:
            self.error(where, _("okänt diagram «{k}» (använd {a})").format(k=kind, a=", ".join(CHART_KINDS)))
        categories = None
        if "categories" in data:
            c = data["categories"]
            categories = self.column(
                {"label": "", **c} if isinstance(c, dict) else c, f"{where}, categories", False
            )
        elif kind != "cumulative":
            self.error(where, _('«categories» saknas (t.ex. {{ repeat = "years", from = -4, to = 0 }})'))
        series = []
        raw = data.get("series", [])
        if not isinstance(raw, list) or (not raw and kind != "cumulative"):
            self.error(where, _("«series» saknas: en lista av serier"))
            raw = []
        for j, sd in enumerate(raw, start=1):
            sw = f"{where}, {_('serie')} {j}"
            if not isinstance(sd, dict):
                self.error(sw, _("ska vara en tabell av nycklar"))
                continue
            self.unknown(sd, SERIES_KEYS, sw)
            series.append(RowSpec(label=self.string(sd, "label", sw), dims=self.dims(sd, sw)))
        title = self.string(data, "title", where)
        self.placeholders(title, where, "title")
        return Section(
            number,
            "chart",
            id=cid,
            title=title,
            table_number=self.string(data, "number", where),
            dims=self.dims(data, where),
            chart_kind=kind,
            categories=categories,
            series=tuple(series),
            values=self.boolean(data, "values", where),
            scale=self.string(data, "scale", where),
            line=line,
        )


def sum_problems(section: Section, rows: list[RowSpec], measures: dict | None = None) -> str:
    """Why the rows cannot be summed ("" when they can): a sum is of one and the same measure
    (and scenario, period, kön) over units or groups, never of unlike figures; with
    ``measures`` also that the measure adds up over what varies (``additiv_enheter`` /
    ``additiv_uppdelning``)."""
    if not rows:
        return _("inga rader ovanför att summera")
    seen: dict[str, set[str]] = {}
    for r in rows:
        if r.measures:
            return _('rader med «measures = "all"» summeras aldrig (olika mått)')
        merged = {**section.dims, **r.dims}
        if r.children:
            merged["unit"] = "children of " + r.children
        for key in ("measure", "scenario", "period", "kon", "version", "value"):
            seen.setdefault(key, set()).add(merged.get(key, ""))
    for key, names in (("measure", _("olika mått")), ("value", _("olika värden"))):
        if len(seen.get(key, set())) > 1:
            return _("summerar {w} ({v})").format(w=names, v=", ".join(sorted(v or "–" for v in seen[key])))
    for key in ("scenario", "period", "kon", "version"):
        if len(seen.get(key, set())) > 1:
            return _("summerar olika «{k}» ({v})").format(
                k=key, v=", ".join(sorted(v or "–" for v in seen[key]))
            )
    if measures is not None:
        key = next(iter(seen.get("measure", {""}))) or NET
        m = measures.get(key)
        if m is not None:
            varies_units = any("unit" in r.dims or r.children for r in rows)
            varies_groups = any("grupp" in r.dims or "subgroup" in r.dims or "kon" in r.dims for r in rows)
            if varies_units and not m.additive_units:
                return _("måttet «{m}» summeras inte över enheter (additiv_enheter = nej)").format(m=m.name)
            if varies_groups and not m.additive_breakdown:
                return _("måttet «{m}» summeras inte över grupper (additiv_uppdelning = nej)").format(
                    m=m.name
                )
    return ""


def _close(key: str, allowed: set[str]) -> str:
    import difflib

    hits = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.7)
    return hits[0] if hits else ""


# --- against a database -----------------------------------------------------------------------
def check_against(template: Template, store) -> list[str]:
    """What a template names that the database does not have: units, measures, the board; and
    sums over measures that do not add up (``additiv_enheter``). Messages, [] when none."""
    tree = store.unit_tree()
    measures = store.measures()
    shown = Path(template.path).name if template.path else template.name
    out: list[str] = []
    if template.board and template.board not in tree:
        out.append(_("{f}: [report] board «{b}» finns inte i databasen").format(f=shown, b=template.board))

    def unit_ok(code: str, where: str, key: str) -> None:
        if code and code not in ("{board}", "{unit}") and code not in tree:
            out.append(_("{w}: {k} «{u}» finns inte i databasen").format(w=where, k=key, u=code))

    def measure_ok(key: str, where: str) -> None:
        if key and key not in measures:
            out.append(_("{w}: måttet «{m}» finns inte i databasen").format(w=where, m=key))

    for s in template.sections:
        where = s.where(shown)
        specs: list[tuple[str, dict, str]] = [("", s.dims, "")]
        specs += [(_("kolumn «{l}»").format(l=c.label), c.dims, "") for c in s.columns]
        specs += [(_("rad {i}").format(i=i), r.dims, r.children) for i, r in enumerate(s.rows, 1)]
        specs += [(_("serie «{l}»").format(l=r.label), r.dims, "") for r in s.series]
        if s.categories is not None:
            specs.append(("categories", s.categories.dims, ""))
        for part, dims, children in specs:
            w = f"{where}, {part}" if part else where
            unit_ok(dims.get("unit", ""), w, "unit")
            unit_ok(children, w, "children")
            measure_ok(dims.get("measure", ""), w)
        if s.type == "analyses":
            unit_ok(s.under, where, "under")
        unit_ok(s.each, where, "each")
        if s.type == "table":
            block: list[RowSpec] = []
            for row in s.rows:
                if row.heading or row.total == "row":
                    block = []
                elif row.total == "sum":
                    problem = sum_problems(s, block, measures)
                    if problem:
                        out.append(
                            _("{w}, rad «{l}»: {p}").format(w=where, l=row.label or _("Summa"), p=problem)
                        )
                    block = []
                else:
                    block.append(row)
    return out
