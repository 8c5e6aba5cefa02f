"""Operations of competency assessment: one function per state change, shared by the screens, the REST
API, the SOP hooks, the CLI, the demo and the tests. They live by what they do:

- umum.py       the refusal (PenilaianError), loading through the scope, who may do what in an event, the
                rules and standards that apply
- kegiatan.py   events, their waves and sessions, the method × competency matrix
- peserta.py    participants, their intake documents and attendance
- tim.py        the team and the assignment (by hand, or the automatic rotation)
- nilai.py      score sheets
- integrasi.py  the assessor meeting and the results
- progres.py    what an event still lacks (the SOP guards, the event page)

This module is their one face: `from app.penilaian import operations as ops` reaches every verb.
"""

from app.penilaian import aturan as rules  # noqa: F401
from app.penilaian.integrasi import (  # noqa: F401
    KURANG_LABELS,
    BarisIntegrasi,
    HasilPeserta,
    Integrasi,
    _tambah_tahun,
    buka_integrasi,
    hasil_kegiatan,
    hasil_peserta,
    hasil_semua,
    integrasi,
    kunci_integrasi,
    peserta_terlihat,
    riwayat_pegawai,
    simpan_konsensus,
    simpan_potensi,
)
from app.penilaian.kegiatan import (  # noqa: F401
    atur_matriks,
    buat_kegiatan,
    hapus_sesi,
    mulai_kegiatan,
    selesaikan_kegiatan,
    tambah_gelombang,
    tambah_sesi,
    tutup_kegiatan,
    ubah_gelombang,
    ubah_kegiatan,
)
from app.penilaian.nilai import (  # noqa: F401
    buka_lembar,
    kirim_lembar,
    kompetensi_metode,
    simpan_lembar,
    simpan_nilai,
)
from app.penilaian.peserta import (  # noqa: F401
    DataPeserta,
    KonteksPeserta,
    PesertaSiap,
    atur_intake,
    berkas,
    catat_kehadiran,
    hapus_peserta,
    kehadiran,
    konteks_peserta,
    periksa_peserta,
    progres_intake,
    tambah_peserta,
    tambah_peserta_banyak,
    ubah_peserta,
    unggah_berkas,
)
from app.penilaian.progres import (  # noqa: F401
    kurang_distribusi,
    kurang_hasil,
    kurang_intake,
    kurang_jadwal,
    kurang_penilaian,
    kurang_rancangan,
    ringkasan,
)
from app.penilaian.tim import (  # noqa: F401
    atur_otomatis,
    atur_penugasan,
    hapus_anggota,
    peringatan,
    rancangan,
    tambah_anggota,
)
from app.penilaian.umum import (  # noqa: F401
    MAX_BERKAS,
    MAX_TEKS,
    PenilaianError,
    _admin,
    _bukan_selesai,
    _log,
    _teks,
    aturan_kegiatan,
    aturan_untuk,
    boleh_kelola,
    hari_ini,
    jabatan_acuan,
    kalimat,
    kegiatan,
    kegiatan_dari,
    kegiatan_kasus,
    ketentuan_kegiatan,
    ketua,
    penugasan,
    peran_tim,
    peserta,
    sesi_label,
    staf_kegiatan,
    standar_efektif,
    standar_kegiatan,
)
