"""The filter parser, without a server: it reads filters as `rucio did list --filter` does and
refuses what Rucio would refuse or fail on, naming the key."""

import pytest
from rucio.common.utils import parse_did_filter_from_string_fe

from jupyterlab_rucio.filters import FilterError, parse_filter, plan
from jupyterlab_rucio.tests.test_api_metadata_search import COLUMN_FILTERS, JSON_FILTERS


@pytest.mark.parametrize(
    "text",
    [t for _, _, t in COLUMN_FILTERS + JSON_FILTERS]
    + ["run_number == 5", " a=1 , b<2 ; c>=3 ", "1<x<=4", "x='2'"],
)
def test_the_parser_reads_filters_as_rucio_did_list_does(text):
    parsed = parse_filter(text)
    filters, _ = parse_did_filter_from_string_fe(text, "*")
    for group in filters:
        group.pop("type", None)
    assert parsed.rucio_filters("*") == filters


def test_plan_names_the_plugins_a_filter_needs():
    assert plan(parse_filter("run_number>5,datatype=AOD")) == "column"
    assert plan(parse_filter("instrument=MAGIC;energy_min<1")) == "json"
    assert plan(parse_filter("run_number>5,instrument=MAGIC")) == "mixed"
    with pytest.raises(FilterError, match="instrument"):
        plan(parse_filter("run_number>5;instrument=MAGIC"))


def test_type_in_the_filter_sets_the_type():
    parsed = parse_filter("type=DATASET,run_number>5")
    assert parsed.did_type == "dataset"
    assert parsed.rucio_filters("*") == [{"run_number.gt": "5", "name": "*"}]
    with pytest.raises(FilterError, match="type"):
        parse_filter("type=dataset;type=file")


def test_an_empty_filter_has_no_conditions():
    assert parse_filter(" ; , ").groups == ()
    with pytest.raises(FilterError, match="longer"):
        parse_filter("a=1," * 600)
