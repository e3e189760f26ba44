/// Other providers' zone formats (SPEC §9): Route 53 import and export, octoDNS import.
public enum ZoneInterchange {}
