enum _WarmZoneFile {}
