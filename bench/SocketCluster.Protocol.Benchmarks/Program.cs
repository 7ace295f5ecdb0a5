// Codec micro-benchmarks. Full run: dotnet run -c Release --project bench/SocketCluster.Protocol.Benchmarks
// CI smoke (seconds, in-process, one iteration each): ... -- --smoke
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SocketCluster.Protocol.Benchmarks;

if (args is ["--smoke"])
{
    var config = ManualConfig.CreateMinimumViable()
        .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
        .WithOptions(ConfigOptions.DisableLogFile);
    var summary = BenchmarkRunner.Run<CodecBenchmarks>(config);
    return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
}
BenchmarkSwitcher.FromAssembly(typeof(CodecBenchmarks).Assembly).Run(args);
return 0;
