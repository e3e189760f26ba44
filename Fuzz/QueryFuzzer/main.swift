import FuzzEntries

// Fuzz/README.md: libFuzzer under Fuzz/run.sh, a replayer of saved inputs otherwise.
FuzzDriver.main(QueryFuzzing.run)
