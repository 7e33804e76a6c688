"""``Store.compare_rows`` (set-based: the file's rows in a temporary table, looked up by the
facts' key) tells new, changed and unchanged figures exactly as the dict of every stored figure
it replaced did (kept here as the reference), and names the same first changed row – on the
demo's own figures, changed at random."""

from __future__ import annotations

import random
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socdesk.io.seeds import open_database
from socdesk.store.facts import fact_row


def reference(store, rows):
    """The comparison as the importer made it before (issue 15): every stored figure of the
    file's units in a dict."""
    existing = {r[:7]: (r[7], r[8]) for r in store.fact_rows(units=sorted({r[0] for r in rows}))}
    new = changed = 0
    example = None
    for r in rows:
        stored = existing.get((r[0], r[1], r[2], r[3], r[4], r[7], r[8]))
        if stored is None:
            new += 1
        elif stored != (r[9], r[10]):
            changed += 1
            example = example or (r[0], r[1], r[2], r[4])
    return new, changed, example


@pytest.fixture(scope="module")
def demo(demo_template, tmp_path_factory):
    copy = tmp_path_factory.mktemp("compare") / "demo.db"
    shutil.copyfile(demo_template, copy)
    store = open_database(copy)
    yield store, [fact_row(f) for f in store.facts()]
    store.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), share=st.sampled_from([0.0, 0.01, 0.3, 1.0]))
def test_the_set_based_comparison_equals_the_reference(demo, seed, share):
    store, all_rows = demo
    rnd = random.Random(seed)
    rows = rnd.sample(all_rows, k=min(len(all_rows), rnd.randint(1, 3000)))
    out = []
    for r in rows:
        r = list(r)
        if rnd.random() < share:
            kind = rnd.randrange(4)
            if kind == 0 and r[9] is not None:
                r[9] += rnd.choice([-1, 1, 10_000])  # another amount, by one öre or more
            elif kind == 1:
                r[9], r[10] = None, "saknas"  # a figure now missing (a status, no number)
            elif kind == 2:
                r[0] = "NY" + r[0]  # a unit the database does not have: new
            else:
                r[7] = "k" if not r[7] else ""  # another kön: another cell
        out.append(tuple(r))
    assert store.compare_rows(out) == reference(store, out)


def test_the_demo_against_itself_is_all_unchanged(demo):
    store, all_rows = demo
    assert store.compare_rows(all_rows) == (0, 0, None)
    assert len(all_rows) == store.facts_count()  # the whole demo, not a sample
