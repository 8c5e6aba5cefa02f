import datetime as dt

import pytest

from app import nip

TODAY = dt.date(2026, 11, 23)
SEED_NIPS = [
    "196005241981031005",  # Tangerang, Kepala BKPSDM
    "19640327 199201 1 002",  # Pemalang, Kepala BKD
    "195809031981101001",
    "196511261991031002",
    "197405102000121001",
]


@pytest.mark.parametrize("value", SEED_NIPS)
def test_seed_nips_are_valid(app, value):
    with app.test_request_context():
        parsed = nip.parse(value, today=TODAY)
    assert parsed.digits == value.replace(" ", "")
    assert parsed.jenis_kelamin == "L"


def test_grouped_display_and_dots_accepted(app):
    with app.test_request_context():
        parsed = nip.parse("19640327.199201.1.002", today=TODAY)
    assert str(parsed) == "19640327 199201 1 002"
    assert nip.format_nip("196403271992011002") == "19640327 199201 1 002"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "NIP wajib diisi"),
        ("19640327A99201 1 002", "hanya boleh berisi angka"),
        ("1964032719920110", "harus 18 digit; 16 digit diberikan"),
        ("196402301992011002", "bukan tanggal lahir yang sah"),
        ("196403271992131002", "harus 01 sampai 12"),
        ("196403272027011002", "di masa depan"),
        ("196403271992013002", "harus 1 (laki-laki) atau 2 (perempuan)"),
        ("196403271992011000", "tidak boleh 000"),
        ("199003271985011002", "sebelum tanggal lahir"),
    ],
)
def test_malformed_nip_has_a_clear_indonesian_message(app, value, message):
    with app.test_request_context():
        with pytest.raises(nip.NipError) as err:
            nip.parse(value, today=TODAY)
        assert message in str(err.value)


def test_female_digit(app):
    with app.test_request_context():
        assert nip.parse("198501012010012003", today=TODAY).jenis_kelamin == "P"
