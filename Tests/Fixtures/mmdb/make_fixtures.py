#!/usr/bin/env python3
"""Builds the small MaxMind DB fixtures that the GeoIP reader tests read.

Requires the PyPI packages `mmdb-writer` (0.2.7 was used) and `netaddr`:

    pip install mmdb-writer netaddr
    python3 make_fixtures.py            # writes the .mmdb files beside this script

The output is deterministic (fixed build_epoch, fixed insertion order), so running
the script again reproduces the committed files byte for byte.

Files written:
  city-ipv6-24.mmdb  IPv6 tree, IPv4 networks stored in ::/96, 24-bit records
  city-ipv6-28.mmdb  the same networks and records, 28-bit records
  city-ipv4-32.mmdb  IPv4-only tree with the IPv4 networks, 32-bit records

mmdb-writer picks the smallest record size that fits; the 28- and 32-bit files
force a larger size through a TreeWriter subclass so that the reader's other
record layouts are exercised on real writer output.
"""

import os
import sys

from mmdb_writer import (
    MMDBWriter,
    MmdbF32,
    MmdbI32,
    MmdbU16,
    MmdbU32,
    MmdbU64,
    MmdbU128,
    TreeWriter,
)
from netaddr import IPSet

BUILD_EPOCH = 1_700_000_000
HERE = os.path.dirname(os.path.abspath(__file__))


def city(continent, country=None, subdivision=None, lat=None, lon=None, name=None):
    """A record shaped like a GeoLite2-City record (only the fields the reader uses
    plus a little noise, such as names maps, that it must skip)."""
    record = {}
    if continent is not None:
        record["continent"] = {
            "code": continent,
            "geoname_id": 6255000 + len(continent) + ord(continent[0]),
            "names": {"en": "Continent " + continent, "de": "Kontinent " + continent},
        }
    if country is not None:
        record["country"] = {
            "iso_code": country,
            "geoname_id": 1000 + ord(country[0]) * 100 + ord(country[1]),
            "names": {"en": "Country " + country},
        }
        record["registered_country"] = {"iso_code": country}
    if subdivision is not None:
        record["subdivisions"] = [
            {"iso_code": subdivision, "names": {"en": "Subdivision " + subdivision}},
            {"iso_code": "ZZ", "names": {"en": "Second-level subdivision"}},
        ]
    if lat is not None:
        record["location"] = {
            "latitude": lat,
            "longitude": lon,
            "accuracy_radius": 100,
            "time_zone": "Etc/UTC",
        }
    if name is not None:
        record["city"] = {"names": {"en": name}}
    return record


# (network, record). Supernets come before their subnets: mmdb-writer replaces a
# whole subtree when a shorter network is inserted after a longer one.
IPV4_NETWORKS = [
    ("1.0.0.0/8", city("OC", "AU", None, -33.87, 151.21, "Sydney")),
    ("2.0.0.0/8", city("EU", "FR", None, 48.86, 2.35, "Paris")),
    ("8.0.0.0/8", city("NA", "US", None, 37.75, -97.82)),
    ("8.8.0.0/16", city("NA", "US", "CA", 37.39, -122.08, "Mountain View")),
    ("8.8.8.0/24", city("NA", "US", "NY", 40.71, -74.01, "New York")),
    ("8.8.8.8/32", city("NA", "US", "TX", 30.27, -97.74, "Austin")),
    ("12.0.0.0/8", city("NA", "US", "TX", 32.78, -96.80, "Dallas")),
    ("24.0.0.0/8", city("NA", "CA", "QC", 45.50, -73.57, "Montreal")),
    ("41.0.0.0/8", city("AF", "ZA", "WC", -33.92, 18.42, "Cape Town")),
    ("45.0.0.0/8", city("SA", "BR", "SP", -23.55, -46.63, "São Paulo")),
    ("60.0.0.0/8", city("AS", "JP", "13", 35.68, 139.69, "Tokyo")),
    ("81.0.0.0/8", city("EU", "DE", "HE", 50.11, 8.68, "Frankfurt")),
    ("81.2.0.0/16", city("EU", "GB", "ENG", 51.51, -0.13, "London")),
    ("81.2.69.128/25", city("EU", "GB", "SCT", 55.95, -3.19, "Edinburgh")),
    # The database says Asia; Route 53's table puts TR and CY in Europe.
    ("85.0.0.0/8", city("AS", "TR", "34", 41.01, 28.98, "Istanbul")),
    ("185.0.0.0/8", city("AS", "CY", None, 35.17, 33.36, "Nicosia")),
    # The database says Europe; Route 53's table puts GE in Asia.
    ("31.0.0.0/8", city("EU", "GE", None, 41.72, 44.79, "Tbilisi")),
    ("100.0.0.0/8", city("AN", "AQ", None, -77.85, 166.67)),
    ("103.0.0.0/8", city("AS", "IN", "MH", 19.08, 72.88, "Mumbai")),
    ("150.0.0.0/8", city("EU", "XK", None, 42.66, 21.17, "Pristina")),
    ("175.0.0.0/8", city("AS", "CN", "BJ", 39.90, 116.41, "Beijing")),
    ("196.0.0.0/8", city("AF", "EG", None, 30.04, 31.24, "Cairo")),
    ("200.0.0.0/8", city("SA", "AR", "C", -34.60, -58.38, "Buenos Aires")),
    ("203.0.0.0/8", city("OC", "NZ", "AUK", -36.85, 174.76, "Auckland")),
    # Sparse records: country only, continent only.
    ("210.0.0.0/8", city(None, "KR")),
    ("220.0.0.0/8", city("AS")),
    # Every data type of the format, to check the decoder against the official reader.
    ("198.51.100.0/24", {
        "country": {"iso_code": "US"},
        "types": {
            "u16": MmdbU16(65535),
            "u32": MmdbU32(4294967295),
            "u64": MmdbU64(2**64 - 1),
            "u128": MmdbU128(2**128 - 1),
            "u128_small": MmdbU128(7),
            "i32": MmdbI32(-12345),
            "i32_positive": MmdbI32(77),
            "f32": MmdbF32(1.5),
            "f64": 3.25,
            "bool_t": True,
            "bool_f": False,
            "bytes": b"\x00\x01\xfe\xff",
            "array": ["one", "two", ["nested", "array"]],
            # No empty array: mmdb-writer's value cache keys {} and [] alike, so an
            # empty array would be written as a pointer to the empty map.
            "empty_map": {},
            "empty_string": "",
            "utf8": "São Paulo — Zürich — 東京",
            "string_29_plus": "y" * 100,
            "string_285_plus": "x" * 300,
        },
    }),
]

IPV6_NETWORKS = [
    ("2001:db8::/32", city("NA", "US", "WA", 47.61, -122.33, "Seattle")),
    ("2001:db8:1::/48", city("NA", "US", "OR", 45.52, -122.68, "Portland")),
    ("2001:db8:1:2::/64", city("NA", "US", "DC", 38.90, -77.04, "Washington")),
    ("2400:cb00::/32", city("AS", "SG", None, 1.35, 103.82, "Singapore")),
    ("2a00:1450::/32", city("EU", "IE", "L", 53.35, -6.26, "Dublin")),
    ("2c0f:fb50::/32", city("AF", "KE", None, -1.29, 36.82, "Nairobi")),
    ("2800::/12", city("SA", "BR", None, -15.79, -47.88, "Brasília")),
]


def forced_record_size(record_size):
    """A TreeWriter that writes `record_size`-bit records instead of the smallest
    size that fits."""

    class Forced(TreeWriter):
        def _adjust_record_size(self):
            super()._adjust_record_size()
            self.record_size = record_size
            self.data_offset = self.record_size * 2 / 8 * self._node_counter

    return Forced


class FixtureWriter(MMDBWriter):
    """MMDBWriter with a fixed build_epoch and a selectable record size."""

    def __init__(self, record_size=None, **kwargs):
        super().__init__(**kwargs)
        self.forced_record_size = record_size

    def _build_meta(self):
        meta = super()._build_meta()
        meta["build_epoch"] = BUILD_EPOCH
        return meta

    def to_db_file(self, filename):
        writer_class = TreeWriter
        if self.forced_record_size is not None:
            writer_class = forced_record_size(self.forced_record_size)
        writer_class(self.tree, self._build_meta(), self.int_type, self.float_type).write(filename)


def build(filename, ip_version, record_size, networks):
    writer = FixtureWriter(
        record_size=record_size,
        ip_version=ip_version,
        database_type="Switchyard-Test-City",
        languages=["en", "de"],
        description={"en": "Switchyard GeoIP reader test fixture", "de": "Testdaten"},
        ipv4_compatible=(ip_version == 6),
    )
    for network, record in networks:
        writer.insert_network(IPSet([network]), record)
    path = os.path.join(HERE, filename)
    writer.to_db_file(path)
    print(f"wrote {filename}: {os.path.getsize(path)} bytes", file=sys.stderr)


def main():
    build("city-ipv6-24.mmdb", 6, None, IPV4_NETWORKS + IPV6_NETWORKS)
    build("city-ipv6-28.mmdb", 6, 28, IPV4_NETWORKS + IPV6_NETWORKS)
    build("city-ipv4-32.mmdb", 4, 32, IPV4_NETWORKS)


if __name__ == "__main__":
    main()
