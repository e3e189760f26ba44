/// Zone transfers to standard secondaries (SPEC §9): AXFR, IXFR, NOTIFY and TSIG.
public enum ZoneTransfer {}
