enum _WarmRouting {}
