"""The unit tree's filter typed into as a user does, on a tree the size of a city (5 000
verksamheter under 300 program under 20 verksamhetsområden): after every key the tree shows
exactly the units whose code or name holds the text and their ancestors, in the tree's order,
opened so the matches are seen. The oracle walks the UnitTree itself, not the model's indexes."""

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from socdesk.core.units import Unit, UnitTree
from socdesk.gui.unit_tree_model import CODE_ROLE, UnitTreeModel
from socdesk.gui.unit_tree_panel import EXPAND_ALL_BELOW, UnitTreePanel


def city_tree(leaves: int = 5000) -> UnitTree:
    units = [Unit("STAD", "Socialnämnden")]
    units += [Unit(f"A{a:02d}", f"Verksamhetsområde {a + 1}", "STAD") for a in range(20)]
    units += [Unit(f"P{p:03d}", f"Program {p + 1}", f"A{p % 20:02d}") for p in range(300)]
    units += [Unit(f"V{v:04d}", f"Verksamhet {v + 1}", f"P{v % 300:03d}") for v in range(leaves)]
    units.append(Unit("P007-HT", "Hemtjänst natt", "P007", part=True))
    return UnitTree(units)


TREE = city_tree()


def expected(text: str) -> tuple[set[str], set[str]]:
    """The matching codes and the codes shown (matches and their ancestors), from the tree."""
    needle = text.strip().casefold()
    hits = {u.code for u in TREE if needle in f"{u.code} {u.name}".casefold()}
    shown = set(hits)
    for code in hits:
        shown.update(a.code for a in TREE.ancestors(code))
    return hits, shown


def shown_rows(model: UnitTreeModel) -> list[tuple[str, str | None]]:
    """Every row the model shows, depth first: (code, parent code)."""
    out = []

    def walk(parent, parent_code):
        for r in range(model.rowCount(parent)):
            index = model.index(r, 0, parent)
            assert index.parent() == parent
            code = index.data(CODE_ROLE)
            out.append((code, parent_code))
            walk(index, code)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex(), None)
    return out


def type_text(widget, text):
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


@pytest.fixture
def panel(qtbot, tmp_path):
    p = UnitTreePanel(TREE, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(p)
    p.resize(320, 700)
    p.show()
    qtbot.waitExposed(p)
    return p


def assert_shows(panel: UnitTreePanel, text: str) -> None:
    hits, shown = expected(text)
    rows = shown_rows(panel.model)
    assert {code for code, _p in rows} == shown
    assert len(rows) == len(shown)  # each once
    for code, parent in rows:  # under its own parent, siblings in the tree's order
        assert parent == (TREE.parent(code).code if TREE.parent(code) else None)
    order = {u.code: i for i, u in enumerate(TREE)}
    for parent in {p for _c, p in rows}:
        kids = [c for c, p in rows if p == parent]
        assert kids == sorted(kids, key=order.__getitem__)
    view = panel.view
    opened = set()  # the matches are seen: their ancestors opened (all, or above the parents)
    for code in hits:
        opened.update(a.code for a in TREE.ancestors(code)[0 if len(hits) <= EXPAND_ALL_BELOW else 1 :])
    current = panel.current_code()
    if current is not None:  # and the current unit's branch: the view keeps it in sight
        opened.update(a.code for a in TREE.ancestors(current))
    parents = {p for _c, p in rows if p is not None}
    assert {c for c in parents if view.isExpanded(panel.model.index_of(c))} == opened  # and no more


def test_typing_narrowing_and_backspace_show_exactly_the_matches_and_their_ancestors(qtbot, panel):
    panel.select("P123")  # then the user opens a branch that is not over a match's parent:
    panel.expand("P123")  # closed while a filter is typed
    panel.select("STAD")
    f = panel.filter
    for ch, text in zip("verk", ("v", "ve", "ver", "verk"), strict=True):
        type_text(f, ch)
        assert f.text() == text
        assert_shows(panel, text)
    qtbot.keyClick(f, Qt.Key.Key_Backspace)
    assert f.text() == "ver"
    assert_shows(panel, "ver")
    f.selectAll()
    type_text(f, "P01")  # replaces the selection: a new text, not a grown one
    assert f.text() == "P01"
    assert_shows(panel, "P01")
    hits, _ = expected("P01")
    assert hits == {f"P{p:03d}" for p in range(10, 20)}
    qtbot.keyClick(f, Qt.Key.Key_Backspace)
    assert_shows(panel, "P0")  # shorter: more rows again
    type_text(f, "07 ")
    assert_shows(panel, "P007 ")  # the space is trimmed: the part below P007 is found too
    type_text(f, "zz")
    assert shown_rows(panel.model) == []
    f.clear()
    assert len(shown_rows(panel.model)) == len(list(TREE))


def test_a_name_with_spaces_and_case_is_found_and_clearing_restores_the_open_branches(qtbot, panel):
    panel.expand("STAD")
    panel.expand("A03")
    type_text(panel.filter, "VERKSAMHET 123")
    assert_shows(panel, "verksamhet 123")
    hits, _ = expected("verksamhet 123")
    assert hits == {"V0122", *(f"V{v:04d}" for v in range(1229, 1239))}
    panel.filter.clear()
    view, model = panel.view, panel.model
    assert view.isExpanded(model.index_of("STAD")) and view.isExpanded(model.index_of("A03"))
    assert not view.isExpanded(model.index_of("A02"))  # V0122's, opened only by the filter
    assert not view.isExpanded(model.index_of("P122"))


def test_a_hidden_current_unit_is_not_replaced_and_comes_back_when_the_filter_clears(qtbot, panel):
    with qtbot.waitSignal(panel.unit_selected) as chosen:
        panel.select("V0042")
    assert chosen.args == ["V0042"]
    with qtbot.assertNotEmitted(panel.unit_selected):
        type_text(panel.filter, "P01")  # V0042 is under P042: filtered away
    assert panel.current_code() is None
    panel.filter.clear()
    assert panel.current_code() == "V0042"
    assert panel.view.selectionModel().isSelected(panel.view.currentIndex())
    type_text(panel.filter, "V004")  # still shown: kept current
    assert panel.current_code() == "V0042"
    panel.select("P100")  # selecting a filtered-away unit clears the filter to show it
    assert panel.filter.text() == "" and panel.current_code() == "P100"


def test_the_filtered_model_passes_qtmodeltester(qtmodeltester):
    model = UnitTreeModel(city_tree(600))
    assert model.set_filter("P01")
    qtmodeltester.check(model)
    assert model.set_filter("verksamhet 1")
    qtmodeltester.check(model)
    assert not model.set_filter("verksamhet 1 ")  # the same rows: nothing done
    assert model.set_filter("")
    qtmodeltester.check(model)


def test_a_changed_tree_keeps_the_filter_and_shows_a_new_match(qtbot, panel):
    panel.select("P011")
    type_text(panel.filter, "boende")
    assert shown_rows(panel.model) == []  # no unit of the city is a boende
    grown = UnitTree([*TREE, Unit("V9999", "Nytt boende", "P010"), Unit("V9998", "Annat", "P011")])
    panel.set_tree(grown)  # an import added units
    assert panel.filter.text() == "boende"
    assert shown_rows(panel.model) == [("STAD", None), ("A10", "STAD"), ("P010", "A10"), ("V9999", "P010")]
    view, model = panel.view, panel.model
    assert all(view.isExpanded(model.index_of(c)) for c in ("STAD", "A10", "P010"))
    panel.filter.clear()
    assert model.index_of("V9998").isValid() and panel.current_code() == "P011"
