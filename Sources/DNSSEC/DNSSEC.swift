/// Online DNSSEC signing (SPEC §10): zone keys, RRSIGs over answers, compact denial.
public enum DNSSEC {}
