"""Sends queries carrying an EDNS Client Subnet option (RFC 7871) with dnspython and prints,
for each, the answer addresses and the ECS scope the server returned, as one JSON list.

Usage: python3 ecs_client.py PORT NAME=SUBNET [NAME=SUBNET ...]
"""

import json
import sys

import dns.edns
import dns.message
import dns.query

port = int(sys.argv[1])
results = []
for item in sys.argv[2:]:
    name, subnet = item.split("=", 1)
    address, prefix = subnet.split("/")
    option = dns.edns.ECSOption(address, int(prefix))
    query = dns.message.make_query(name, "A", use_edns=0, options=[option])
    entry = {"name": name, "subnet": subnet}
    try:
        response = dns.query.udp(query, "127.0.0.1", port=port, timeout=2.0)
        entry["answer"] = sorted(r.address for rrset in response.answer for r in rrset)
        scopes = [o.scopelen for o in response.options if isinstance(o, dns.edns.ECSOption)]
        entry["scope"] = scopes[0] if scopes else None
    except Exception as error:  # reported, so the Swift side can say what went wrong
        entry["error"] = str(error)
    results.append(entry)
print(json.dumps(results))
