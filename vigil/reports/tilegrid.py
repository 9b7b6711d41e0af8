"""A tile-grid map of Iran's 31 provinces: one equal square per province, placed roughly where it lies
(north at the top, west at the left), so small provinces are as visible as large ones and no map tiles or
shapes need to be fetched. Keyed by the gazetteer's province codes; a province missing here is listed
below the grid rather than dropped.

(column, row, short English label, short Persian label)
"""

from __future__ import annotations

PROVINCE_TILES: dict[str, tuple[int, int, str, str]] = {
    "ir-east-azerbaijan": (1, 0, "E. Azarb.", "آذربایجان ش."),
    "ir-ardabil": (2, 0, "Ardabil", "اردبیل"),
    "ir-west-azerbaijan": (0, 1, "W. Azarb.", "آذربایجان غ."),
    "ir-zanjan": (1, 1, "Zanjan", "زنجان"),
    "ir-gilan": (2, 1, "Gilan", "گیلان"),
    "ir-mazandaran": (3, 1, "Mazandaran", "مازندران"),
    "ir-golestan": (4, 1, "Golestan", "گلستان"),
    "ir-north-khorasan": (5, 1, "N. Khorasan", "خراسان ش."),
    "ir-kurdistan": (0, 2, "Kurdistan", "کردستان"),
    "ir-qazvin": (1, 2, "Qazvin", "قزوین"),
    "ir-alborz": (2, 2, "Alborz", "البرز"),
    "ir-tehran": (3, 2, "Tehran", "تهران"),
    "ir-semnan": (4, 2, "Semnan", "سمنان"),
    "ir-razavi-khorasan": (5, 2, "Razavi Kh.", "خراسان رضوی"),
    "ir-kermanshah": (0, 3, "Kermanshah", "کرمانشاه"),
    "ir-hamadan": (1, 3, "Hamadan", "همدان"),
    "ir-markazi": (2, 3, "Markazi", "مرکزی"),
    "ir-qom": (3, 3, "Qom", "قم"),
    "ir-yazd": (4, 3, "Yazd", "یزد"),
    "ir-south-khorasan": (5, 3, "S. Khorasan", "خراسان ج."),
    "ir-ilam": (0, 4, "Ilam", "ایلام"),
    "ir-lorestan": (1, 4, "Lorestan", "لرستان"),
    "ir-chaharmahal-bakhtiari": (2, 4, "Chah. & Bakh.", "چهارمحال"),
    "ir-isfahan": (3, 4, "Isfahan", "اصفهان"),
    "ir-kerman": (4, 4, "Kerman", "کرمان"),
    "ir-sistan-baluchestan": (5, 4, "Sistan & Bal.", "سیستان و ب."),
    "ir-khuzestan": (1, 5, "Khuzestan", "خوزستان"),
    "ir-kohgiluyeh-boyer-ahmad": (2, 5, "Kohg. & B.A.", "کهگیلویه"),
    "ir-fars": (3, 5, "Fars", "فارس"),
    "ir-hormozgan": (4, 5, "Hormozgan", "هرمزگان"),
    "ir-bushehr": (2, 6, "Bushehr", "بوشهر"),
}
