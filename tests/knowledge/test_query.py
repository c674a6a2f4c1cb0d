import pandas as pd
import pytest

from ssblab.errors import SsblabInputError
from ssblab.knowledge.query import Filter, resolve_source, search, stats, summary

TABLE = pd.DataFrame(
    {
        "id": ["s001-a", "s001-b", "s003-c"],
        "material": ["Ga-LLZO", "Al-LLZO", "LLZTO"],
        "composition": ["Li6.4Ga0.2La3Zr2O12", None, None],
        "family": ["garnet", "garnet", "garnet"],
        "property": ["ionic_conductivity", "ionic_conductivity", "area_specific_resistance"],
        "value": [1.24e-3, 4.4e-6, 7.0],
        "value_max": [None, None, None],
        "value_si": [0.124, 4.4e-4, 7.0e-4],
        "value_max_si": [None, None, None],
        "unit_si": ["S/m", "S/m", "ohm*m^2"],
        "strategy": [None, None, "H3PO3 treatment"],
        "cell": [None, None, "Li/LLZTO/Li"],
        "note": [None, "NSP", None],
        "flags": ["reported", "reported", "reported; inconsistent: 70 in text; see: x"],
        "flag_kinds": ["reported", "reported", "inconsistent,reported"],
        "source_file": [
            "001_50a2201e95c2ed08.txt",
            "001_50a2201e95c2ed08.txt",
            "003_2dd48e6c264f94e2.txt",
        ],
        "source_section": ["Table 2", "Table 2", "Table 1"],
    }
)


def ids(criteria):
    return search(TABLE, criteria)["id"].tolist()


def test_value_range_with_units_compares_in_si():
    assert ids(Filter(property="ionic_conductivity", min_value="1 mS/cm")) == ["s001-a"]
    assert ids(Filter(property="ionic_conductivity", max_value="1e-5 S/cm")) == ["s001-b"]


def test_range_without_property_is_an_input_error():
    # a bound only means something for one property: ASR and area-specific resistance of a
    # coating share a dimension with unrelated records
    with pytest.raises(SsblabInputError, match="need --property"):
        search(TABLE, Filter(max_value="10 ohm*cm^2"))
    assert ids(Filter(property="area_specific_resistance", max_value="10 ohm*cm^2")) == ["s003-c"]


def test_range_with_wrong_unit_is_an_input_error():
    with pytest.raises(SsblabInputError, match="not a unit of ionic_conductivity"):
        search(TABLE, Filter(property="ionic_conductivity", min_value="3 V"))


def test_text_material_source_flag_filters():
    assert ids(Filter(text="h3po3")) == ["s003-c"]
    assert ids(Filter(material="Li6.4Ga")) == ["s001-a"]
    assert ids(Filter(source="003")) == ["s003-c"]
    assert ids(Filter(flag="inconsistent")) == ["s003-c"]
    assert ids(Filter(strategy="H3PO3")) == ["s003-c"]


def test_unknown_property_and_source():
    with pytest.raises(SsblabInputError, match="unknown property"):
        search(TABLE, Filter(property="colour"))
    with pytest.raises(SsblabInputError, match="unknown source"):
        resolve_source("042")


@pytest.mark.parametrize("text", ["001", "s001", "seed 001", "001_50a2201e95c2ed08.txt", "1"])
def test_source_spellings(text):
    assert resolve_source(text) == "001_50a2201e95c2ed08.txt"


def test_stats_and_summary():
    result = stats(TABLE)
    assert result["records"] == 3
    assert result["by_source"] == {"001_50a2201e95c2ed08.txt": 2, "003_2dd48e6c264f94e2.txt": 1}
    assert result["flags"] == {"inconsistent": 1, "reported": 3}
    frame = summary(TABLE)
    row = frame[frame["property"] == "ionic_conductivity"].iloc[0]
    assert row["records"] == 2
    assert row["max"] == pytest.approx(1.24e-3)  # display unit S/cm
    assert frame[frame["property"] == "area_specific_resistance"].iloc[0]["median"] == 7.0
