"""A bad data file fails with the file and the record named."""

import textwrap

import pytest

from ssblab.errors import KnowledgeDataError
from ssblab.knowledge.store import load_file, load_records

GOOD = """
source_file: 001_50a2201e95c2ed08.txt
records:
  - id: s001-test-1
    material: Ga-LLZO
    family: garnet
    property: ionic_conductivity
    value: 1.24e-3
    unit: {unit}
    source: {source}
    flags: [{flags}]
"""


def write(tmp_path, unit="S/cm", source="{section: Table 2}", flags="reported", name="bad.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(GOOD.format(unit=unit, source=source, flags=flags)))
    return path


def test_good_record_loads(tmp_path):
    (record,) = load_file(write(tmp_path))
    assert record.source.file == "001_50a2201e95c2ed08.txt"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"unit": "flibbets"}, "cannot parse unit"),
        ({"unit": "ohm*cm^2"}, "does not fit property 'ionic_conductivity'"),
        ({"source": "null"}, "missing source"),
        ({"source": "{file: 009_x.txt, section: T}"}, "unknown source file"),
        ({"flags": "reported, inferred"}, "exactly one of"),
        ({"flags": "guessed"}, "is not 'reported'"),
    ],
)
def test_bad_record_names_file_and_record(tmp_path, kwargs, message):
    path = write(tmp_path, **kwargs)
    with pytest.raises(KnowledgeDataError, match=message) as info:
        load_file(path)
    assert "bad.yaml" in str(info.value)
    assert "s001-test-1" in str(info.value)


def test_duplicate_ids_across_files(tmp_path):
    first, second = write(tmp_path, name="a.yaml"), write(tmp_path, name="b.yaml")
    with pytest.raises(KnowledgeDataError, match="duplicate id"):
        load_records([first, second])


def test_not_yaml(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("records: [\n")
    with pytest.raises(KnowledgeDataError, match=r"broken\.yaml: not valid YAML"):
        load_file(path)
