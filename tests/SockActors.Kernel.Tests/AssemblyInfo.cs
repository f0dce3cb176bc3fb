using Xunit;

// Kernel tests share the machine's loopback and time 200 ms read windows; running them one at a time keeps the
// timing faithful on a 2-core machine, and the skip test's environment variable cannot leak into another test.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
