using System.Collections.Concurrent;
using System.Diagnostics;
using Conformance.Engine.Catalog;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Conformance.Mutants.Clients;

namespace Conformance.Mutants.Tests.SelfTest;

/// <summary>
/// The client half of the mutation self-test (issue 10 §5). Each worker owns an engine session (embedded target,
/// its own pool of known-good servers) whose "csharp" and "node" drivers are <see cref="ClientMutantDrivers"/>.
/// For each mutant, the client scenarios tagged with a requirement it breaks run with that driver as the client under
/// test, until one fails (all of them with <c>exhaustive</c>); a failure counts only if the same scenario passes with
/// the unmodified driver (the baseline, run on demand and cached). Scenarios run one at a time per worker, as in
/// <see cref="MutantSuiteRunner"/>.
/// </summary>
public sealed class ClientMutantSuiteRunner(string repoRoot, int workers = 2, bool exhaustive = false)
{
    private readonly BaselineCache _baseline = new();

    public async Task<ClientSelfTestReport> RunAsync(IReadOnlyList<ClientMutant> mutants, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var all = FeatureCatalog.Load(Path.Combine(repoRoot, "features"), repoRoot);
        await ScenarioRunner.StartRunAsync().ConfigureAwait(false);
        var items = mutants
            .Select(m => (Mutant: m, Scenarios: ScenarioSelection.Targeted(m.Breaks, ScenarioSelection.ClientScenarios(all, m.Driver, m.ProtocolVersion))))
            .OrderByDescending(w => w.Scenarios.Any(s => s.HasTag("slow")))
            .ToList();
        var queue = new ConcurrentQueue<(ClientMutant Mutant, IReadOnlyList<ScenarioCase> Scenarios)>(items);
        var outcomes = new ConcurrentDictionary<string, ClientMutantOutcome>(StringComparer.Ordinal);
        var pool = Enumerable.Range(0, workers).Select(_ => new Worker(repoRoot)).ToArray();
        try
        {
            await Task.WhenAll(pool.Select(async worker =>
            {
                while (queue.TryDequeue(out var item))
                    outcomes[item.Mutant.Id] = await RunMutantAsync(worker, item.Mutant, item.Scenarios, cancellation).ConfigureAwait(false);
            })).ConfigureAwait(false);
        }
        finally
        {
            await Task.WhenAll(pool.Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
        return new ClientSelfTestReport([.. mutants.Select(m => outcomes[m.Id])], _baseline.Results, clock.Elapsed, workers, exhaustive);
    }

    private async Task<ClientMutantOutcome> RunMutantAsync(Worker worker, ClientMutant mutant, IReadOnlyList<ScenarioCase> scenarios, CancellationToken cancellation)
    {
        var started = Stopwatch.StartNew();
        var (drivers, runner) = worker.For(mutant.ProtocolVersion);
        var faultsBefore = drivers.ProxyFaults.Count;
        var results = new List<(ScenarioResult Mutated, ScenarioResult Baseline)>();
        foreach (var scenario in scenarios)
        {
            var baseline = await _baseline.GetAsync(scenario.Id, () =>
            {
                drivers.Current = null;
                return MutantSuiteRunner.RunOneAsync(runner, scenario, cancellation);
            }).ConfigureAwait(false);
            if (baseline.Status != ScenarioStatus.Passed) continue; // cannot tell anything about the mutant
            drivers.Current = mutant;
            ScenarioResult result;
            try { result = await MutantSuiteRunner.RunOneAsync(runner, scenario, cancellation).ConfigureAwait(false); }
            finally { drivers.Current = null; }
            results.Add((result, baseline));
            if (!exhaustive && result.Status == ScenarioStatus.Failed) break;
        }
        return new ClientMutantOutcome(mutant, scenarios.Count, [.. results.Select(r => r.Mutated)], started.Elapsed,
            [.. drivers.ProxyFaults.Skip(faultsBefore)]);
    }

    /// <summary>
    /// One engine session per protocol version (started on first use: most mutants need v2 only), each with its own
    /// known-good servers and client drivers switchable between unmodified and mutant.
    /// </summary>
    private sealed class Worker(string repoRoot) : IAsyncDisposable
    {
        private readonly Dictionary<int, (ConformanceSession Session, ClientMutantDrivers Drivers, ScenarioRunner Runner)> _byVersion = [];

        public (ClientMutantDrivers Drivers, ScenarioRunner Runner) For(int protocolVersion)
        {
            if (!_byVersion.TryGetValue(protocolVersion, out var entry))
            {
                var session = new ConformanceSession(new EngineSettings { RepoRoot = repoRoot, ProtocolVersion = protocolVersion });
                _byVersion[protocolVersion] = entry = (session, new ClientMutantDrivers(session), new ScenarioRunner(session));
            }
            return (entry.Drivers, entry.Runner);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (session, drivers, _) in _byVersion.Values)
            {
                await session.DisposeAsync().ConfigureAwait(false);
                await drivers.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

/// <summary>
/// What the client scenarios said about one client mutant. <see cref="Results"/> holds only scenarios that passed
/// with the unmodified driver, so any failure among them is a catch.
/// </summary>
public sealed record ClientMutantOutcome(ClientMutant Mutant, int Targeted, IReadOnlyList<ScenarioResult> Results, TimeSpan Duration,
    IReadOnlyList<Exception> ProxyFaults)
{
    public IReadOnlyList<ScenarioResult> CaughtBy => Results.Where(r => r.Status == ScenarioStatus.Failed).ToList();

    public bool Killed => CaughtBy.Count > 0;

    public int Ran => Results.Count(r => r.Status is ScenarioStatus.Passed or ScenarioStatus.Failed);
}
