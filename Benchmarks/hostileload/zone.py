"""The generated zone the server answers from, and the queries that exist in it."""
import os

ORIGIN = "bench.test"


def write_zone(folder, names, rng):
    """bench.test. with `names` hosts: A on all, AAAA on every 2nd, TXT on every 3rd, MX on
    every 5th. Returns the (name, type) pairs that exist, for the query streams."""
    lines = ["$ORIGIN %s." % ORIGIN, "$TTL 300",
             "@ IN SOA ns1 hostmaster 2026120401 3600 900 1209600 60", "@ IN NS ns1", "ns1 IN A 127.0.0.1"]
    queries = [("%s." % ORIGIN, "SOA"), ("%s." % ORIGIN, "NS")]
    for i in range(names):
        host = "host%d" % i
        fqdn = "%s.%s." % (host, ORIGIN)
        lines.append("%s IN A 10.%d.%d.%d" % (host, (i >> 16) & 255, (i >> 8) & 255, i & 255))
        queries.append((fqdn, "A"))
        if i % 2 == 0:
            lines.append("%s IN AAAA 2001:db8::%x" % (host, i + 1))
            queries.append((fqdn, "AAAA"))
        if i % 3 == 0:
            lines.append('%s IN TXT "v=bench %d %s"' % (host, i, "x" * rng.randrange(8, 64)))
            queries.append((fqdn, "TXT"))
        if i % 5 == 0:
            lines.append("%s IN MX 10 mail%d.%s." % (host, i % 7, ORIGIN))
            queries.append((fqdn, "MX"))
    for k in range(7):
        lines.append("mail%d IN A 10.255.0.%d" % (k, k + 1))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "%s.zone" % ORIGIN), "w") as f:
        f.write("\n".join(lines) + "\n")
    rng.shuffle(queries)
    return queries
