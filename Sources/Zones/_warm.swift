enum _WarmZones {}
