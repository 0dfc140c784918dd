import codecs

import pytest
from groundswell.connectors.files.reading import LineError, Row, detect_encoding, file_sha256, iter_csv, iter_jsonl

TEXT = "Name,Comment\nZoë,Ça marche\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_every_encoding_reads_the_same_rows(tmp_path, data, encoding):
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert detect_encoding(path) == encoding
    assert [item.data for item in iter_csv(path)] == [{"Name": "Zoë", "Comment": "Ça marche"}]


def test_csv_rows_keep_their_starting_line_and_skip_blank_rows(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(' Id , Text\n1,"two\nlines"\n\n2,"say ""hi"", ok"\n3\n4,x,extra\n', encoding="utf-8")
    items = list(iter_csv(path))
    assert items[0] == Row(2, {"Id": "1", "Text": "two\nlines"}, '1,"two\nlines"')
    assert items[1] == Row(5, {"Id": "2", "Text": 'say "hi", ok'}, '2,"say ""hi"", ok"')
    assert items[2] == LineError(6, "row has 1 fields, header has 2", "3")
    assert items[3] == LineError(7, "row has 3 fields, header has 2", "4,x,extra")
    assert len(items) == 4


def test_jsonl_lines_are_objects_or_line_errors(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text('{"a": 1}\n\n{"a": \n[1, 2]\n{"b": "é"}\n', encoding="utf-8")
    items = list(iter_jsonl(path))
    assert items[0] == Row(1, {"a": 1}, '{"a": 1}')
    assert isinstance(items[1], LineError)
    assert items[1].line == 3
    assert items[1].message.startswith("malformed JSON")
    assert items[1].raw == '{"a":'
    assert items[2] == LineError(4, "expected a JSON object, got list", "[1, 2]")
    assert items[3] == Row(5, {"b": "é"}, '{"b": "é"}')


def test_undecodable_bytes_do_not_abort_the_file(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_bytes(b'{"a": "ok"}\n' * 3 + b'{"a": "caf\xe9"}\n')  # Latin-1 byte in a UTF-8 file
    values = [item.data["a"] for item in iter_jsonl(path) if isinstance(item, Row)]
    assert values == ["ok", "ok", "ok", "café"]


def test_file_sha256_changes_with_content(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    first = file_sha256(path)
    assert first == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    path.write_bytes(b"abd")
    assert file_sha256(path) != first
