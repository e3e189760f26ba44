enum _WarmAuthority {}
