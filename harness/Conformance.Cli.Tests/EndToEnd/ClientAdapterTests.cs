using System.Text.Json;
using Conformance.Engine.Catalog;
using Xunit;

namespace Conformance.Cli.Tests.EndToEnd;

/// <summary>What the client adapter tests share: the adapters' command lines, a CLI run with its reports, their verdicts.</summary>
public abstract class ClientAdapterRuns : IDisposable
{
    // The L1 client scenarios at v2: every core operation (connect, transmit, invoke, procedures, close codes, pings).
    protected const string L1Client = "@client and @L1 and @v2";

    protected string Dir { get; } = Directory.CreateTempSubdirectory("adapter-tests-").FullName;
    protected static readonly string Root = Conformance.Engine.Support.EngineSettings.FindRepoRoot();

    protected static string JsAdapter(string extra = "") =>
        $"node \"{Path.Combine(Root, "js-client-fixtures", "adapter", "node-adapter.mjs")}\"{extra}";

    protected static string CSharpAdapter =>
        $"dotnet \"{Path.Combine(AppContext.BaseDirectory, "Conformance.CSharpAdapter.dll")}\"";

    protected async Task<ChildProcess.Result> RunAsync(string name, string[] args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var run = await CliProcess.RunAsync([.. args, "--plain", "--report", Path.Combine(Dir, name)], environment);
        Assert.True(run.ExitCode is 0 or 1, run.ToString());
        return run;
    }

    /// <summary>The level entry of <paramref name="subject"/> in the report.json of the run named <paramref name="run"/>.</summary>
    protected JsonElement Level(string run, string subject) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, run, "report.json"))).RootElement
            .GetProperty("summary").GetProperty("levels").EnumerateArray().Single(l => l.GetProperty("subject").GetString() == subject);

    protected sealed record Row(string Key, string Subject, string Verdict, string? Reason, IReadOnlyList<string> Tags);

    protected List<Row> Verdicts(ChildProcess.Result run)
    {
        var report = Directory.EnumerateFiles(Dir, "report.json", SearchOption.AllDirectories)
            .Single(f => run.Stdout.Contains(f, StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        return doc.RootElement.GetProperty("scenarios").EnumerateArray().Select(s => new Row(
            s.GetProperty("key").GetString()!, s.GetProperty("subject").GetString()!, s.GetProperty("verdict").GetString()!,
            s.TryGetProperty("reason", out var r) ? r.GetString() : null,
            s.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList())).ToList();
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// The client adapter protocol (spec/client-adapter.md) end to end: the gate runs client scenarios through the two
/// reference adapters (the official JS client under Node, the C# reference client as a .NET program) and they get the
/// verdicts the in-process drivers get; an adapter that declares fewer capabilities gets a lower level, with the
/// scenarios it did not declare UNIMPLEMENTED — neither passed nor failed.
/// </summary>
public sealed class ClientAdapterTests : ClientAdapterRuns
{
    [Fact]
    public async Task Both_reference_adapters_get_the_verdicts_of_the_in_process_node_and_csharp_drivers()
    {
        var rows = FeatureCatalog.Load(Path.Combine(Root, "features"), Root)
            .Count(c => c.HasTag("client") && c.HasTag("L1") && c.HasTag("v2"));
        Assert.True(rows >= 25, "the L1 client selection shrank");

        // The client is a run dimension: the same rows run with the built-in node and csharp drivers, then with the adapters.
        var builtIn = await RunAsync("builtin", ["--tags", L1Client, "--clients", "node,csharp"]);
        var adapters = await RunAsync("adapters", ["--tags", L1Client, "--client", $"js={JsAdapter()}", "--client", $"cs={CSharpAdapter}"]);

        var inProcess = Verdicts(builtIn).ToDictionary(s => s.Key, s => s.Verdict);
        var adapted = Verdicts(adapters);
        Assert.Equal(new[] { "cs", "js" }, adapted.Select(s => s.Subject).Distinct().Order());
        var compared = 0;
        foreach (var s in adapted)
        {
            // The same row with the in-process driver the adapter wraps: js → node, cs → csharp.
            var twin = ClientDimension.KeyFor(ClientDimension.SplitKey(s.Key).Location, s.Subject == "js" ? "node" : "csharp");
            Assert.True(inProcess.TryGetValue(twin, out var verdict), $"{s.Key}: no in-process case {twin}");
            Assert.True(verdict == s.Verdict, $"{s.Key}: adapter {s.Verdict}, in-process {twin} {verdict}");
            compared++;
        }
        Assert.True(compared >= 50, $"only {compared} verdicts compared");
        Assert.Contains("Verified level, js client: L1 @ v2", adapters.Stdout);
        Assert.Contains("Verified level, cs client: L1 @ v2", adapters.Stdout);
    }

    [Fact]
    public async Task An_adapter_that_declares_fewer_capabilities_gets_the_lower_level_with_the_rest_unimplemented()
    {
        // No auth: L1 to L3 need none of it, the L4 requirements (AU-*) are all about it.
        var run = await RunAsync("lean", ["--tags", "@client and @v2", "--client", $"lean={JsAdapter(" --capabilities reconnect,pubsub,batching")}"]);

        var scenarios = Verdicts(run);
        Assert.DoesNotContain(scenarios, s => s.Verdict == "FAIL");
        var unimplemented = scenarios.Where(s => s.Verdict == "UNIMPLEMENTED").ToList();
        Assert.True(unimplemented.Count >= 15, $"{unimplemented.Count} UNIMPLEMENTED");
        Assert.All(unimplemented, s => Assert.Equal("client 'lean' does not declare capability 'auth'", s.Reason));
        Assert.Contains(scenarios, s => s.Verdict == "PASS" && s.Tags.Contains("L3"));

        var level = Level("lean", "lean");
        Assert.Equal("L3", level.GetProperty("verifiedLevel").GetString());
        Assert.Contains("Verified level, lean client: L3 @ v2", run.Stdout);
    }

    [Fact]
    public async Task The_csharp_adapter_without_reconnect_is_verified_at_L1_with_the_reconnect_scenarios_unimplemented()
    {
        // No reconnect: the L2 requirements (RC-*) go unclaimed, so the level stops at L1 although pub/sub and auth pass.
        var run = await RunAsync("norc", ["--tags", "@client and @v2", "--client", $"norc={CSharpAdapter} --capabilities pubsub,auth,batching"]);

        var scenarios = Verdicts(run);
        Assert.DoesNotContain(scenarios, s => s.Verdict is "FAIL" or "SKIPPED");
        var unimplemented = scenarios.Where(s => s.Verdict == "UNIMPLEMENTED").ToList();
        Assert.True(unimplemented.Count >= 15, $"{unimplemented.Count} UNIMPLEMENTED");
        Assert.All(unimplemented, s => Assert.Equal("client 'norc' does not declare capability 'reconnect'", s.Reason));
        Assert.Contains(scenarios, s => s.Verdict == "PASS" && s.Tags.Contains("L4"));

        var level = Level("norc", "norc");
        Assert.Equal("L1", level.GetProperty("verifiedLevel").GetString());
        Assert.Contains("RC-010", level.GetProperty("outOfScope").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("Verified level, norc client: L1 @ v2 —", run.Stdout);
        // The other reports say why, per scenario.
        Assert.Contains("UNIMPLEMENTED: client 'norc' does not declare capability 'reconnect'", File.ReadAllText(Path.Combine(Dir, "norc", "junit.xml")));
    }

    [Fact]
    public async Task A_client_authors_run_with_the_embedded_known_good_server_needs_dotnet_only()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the stand-ins are shell scripts");
        // PATH holds dotnet and stand-ins for node, npm and Chromium that record any start and fail; CONFORMANCE_NODE and
        // CHROMIUM_PATH point at them too. Every client scenario, v2 and v1, through the C# adapter.
        var bin = Directory.CreateDirectory(Path.Combine(Dir, "bin")).FullName;
        var started = Path.Combine(Dir, "started.txt");
        foreach (var tool in new[] { "node", "npm", "npx", "chromium", "chromium-browser", "google-chrome" })
        {
            var path = Path.Combine(bin, tool);
            File.WriteAllText(path, $"#!/bin/sh\necho \"{tool} $*\" >> '{started}'\nexit 127\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        File.CreateSymbolicLink(Path.Combine(bin, "dotnet"), DotnetHost());
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = bin,
            ["CONFORMANCE_NODE"] = Path.Combine(bin, "node"),
            ["CHROMIUM_PATH"] = Path.Combine(bin, "chromium"),
            ["SC_KNOWN_GOOD"] = null, // the default: the embedded C# reference server
        };

        var run = await RunAsync("dotnet-only", ["--tags", "@client", "--protocol", "1,2", "--client", $"cs={CSharpAdapter}"], environment);

        Assert.False(File.Exists(started), $"started during the run: {(File.Exists(started) ? File.ReadAllText(started) : "")}");
        Assert.Equal(0, run.ExitCode);
        var scenarios = Verdicts(run);
        Assert.True(scenarios.Count >= 150, $"only {scenarios.Count} client scenarios ran");
        Assert.All(scenarios, s => Assert.True(s.Verdict == "PASS", $"{s.Key}: {s.Verdict} {s.Reason}"));
        Assert.Contains("Verified level, cs client: L4 @ v2 —", run.Stdout);
        Assert.Contains("Verified level, cs client: L4 @ v1 —", run.Stdout);
    }

    /// <summary>The dotnet executable running these tests (its real path: a symlink to a symlink would not find the runtime).</summary>
    private static string DotnetHost()
    {
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p
            : Environment.GetEnvironmentVariable("PATH")!.Split(Path.PathSeparator).Select(d => Path.Combine(d, "dotnet")).First(File.Exists);
        return new FileInfo(host).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? host;
    }
}

/// <summary>
/// Broken clients behind both adapters are caught, and the v14 client passes against the v14 server: a class of its
/// own so that xunit runs it beside <see cref="ClientAdapterTests"/> (the CLI runs mostly wait on the scenarios' timers;
/// one class ran them one after another for over three minutes of test.sh).
/// </summary>
public sealed class ClientAdapterMutantTests : ClientAdapterRuns
{
    // Seven kinds of client misbehaviour, each a client mutant of the self-test (harness/Conformance.Mutants/Clients)
    // served by the C# adapter (--mutant): behaviour faults of the reference client and wire rewrites by a proxy.
    private static readonly (string Name, string Requirement)[] CSharpMutants =
    [
        ("no-resubscribe", "RC-010"),        // drops its subscriptions after a reconnect
        ("no-ack-timeout", "EV-011"),        // ignores ackTimeout: an unanswered invoke never fails
        ("close-always-1000", "CC-005"),     // reports the wrong close code (1000, no reason) to the server
        ("drop-issued-token", "AU-015"),     // does not present its token again after reconnecting
        ("ignore-kick-out", "PS-021"),       // ignores #kickOut
        ("responses-without-rid", "EV-016"), // answers the server's invokes without rid (never settles them)
        ("cid-on-transmits", "EV-001"),      // sends transmits with a cid, as requests
    ];

    [Fact]
    public async Task Broken_clients_behind_the_csharp_adapter_are_each_caught_by_the_requirement_they_break()
    {
        var mutants = CSharpMutants;
        // Every mutant breaks every requirement it is listed with in the catalog; the test names the one that must fail.
        foreach (var (name, requirement) in mutants)
            Assert.Contains(requirement, Conformance.Mutants.Clients.ClientMutantCatalog.Get($"csharp/{name}").Breaks);
        var tags = $"@client and @v2 and ({string.Join(" or ", mutants.Select(m => "@" + m.Requirement))})";
        // The unmodified adapter runs the same selection: the scenarios can pass, so each failure is the mutant's.
        string[] clients = ["--client", $"cs={CSharpAdapter}", .. mutants.SelectMany(m => new[] { "--client", $"{m.Name}={CSharpAdapter} --mutant {m.Name}" })];
        var run = await RunAsync("mutants", ["--tags", tags, .. clients]);

        var scenarios = Verdicts(run);
        Assert.True(scenarios.Count(s => s.Subject == "cs") >= 10, $"only {scenarios.Count(s => s.Subject == "cs")} scenarios selected");
        Assert.All(scenarios.Where(s => s.Subject == "cs"), s => Assert.True(s.Verdict == "PASS", $"unmodified C# adapter: {s.Key} {s.Verdict} {s.Reason}"));
        foreach (var (name, requirement) in mutants)
        {
            var failed = scenarios.Where(s => s.Subject == name && s.Verdict == "FAIL").ToList();
            Assert.True(failed.Any(s => s.Tags.Contains(requirement)),
                $"mutant {name} was not caught by a {requirement} scenario; its failures: {string.Join(", ", failed.Select(s => s.Key))}");
        }
    }

    [Fact]
    public async Task Broken_official_clients_behind_the_js_adapter_are_caught_too()
    {
        // The same mechanism in the other language: node-adapter.mjs --mutant patches the official client (client-mutants.mjs).
        (string Name, string Requirement)[] mutants = [("publish-envelope", "PS-017"), ("keep-pending-calls", "EV-019")];
        var tags = $"@client and @v2 and ({string.Join(" or ", mutants.Select(m => "@" + m.Requirement))})";
        var run = await RunAsync("js-mutants", ["--tags", tags, .. mutants.SelectMany(m => new[] { "--client", $"{m.Name}={JsAdapter($" --mutant {m.Name}")}" })]);

        var scenarios = Verdicts(run);
        foreach (var (name, requirement) in mutants)
            Assert.True(scenarios.Any(s => s.Subject == name && s.Verdict == "FAIL" && s.Tags.Contains(requirement)), $"mutant {name} was not caught by a {requirement} scenario");
    }

    [Fact]
    public async Task The_v14_client_behind_the_js_adapter_passes_against_the_v14_server_with_its_differences_skipped()
    {
        // socketcluster-client 14.3.2 (node-adapter.mjs --v14, hello "legacy": "v14") against socketcluster-server 14.7.2.
        // Its event shapes are translated by the adapter; the scenarios where 14.x clients differ (@not-v14-client,
        // spec/legacy-v14.md) are skipped for it, as the @not-v14 ones are for the v14 server. Nothing may fail.
        await Conformance.Engine.Support.NodePackages.EnsureInstalledAsync(Path.Combine(Root, "js-client-fixtures"));
        await using var v14 = await Conformance.Engine.Support.NodeFixtureServer.StartAsync(
            Conformance.Engine.Support.EngineSettings.FromEnvironment(Root), "fixture-server-v14.js", [], TestContext.Current.CancellationToken);
        // --allow-untested: the v14 differences leave MUSTs untested by design (else INCOMPLETE, exit code 3). Not the
        // @scripted scenarios: there 14.3.2 is graded like any client and fails 9 rows (spec/legacy-v14.md).
        var run = await RunAsync("v14", ["--endpoint", v14.WebSocketUrl.ToString(), "--legacy", "v14", "--allow-untested", "--tags", "not @scripted",
            "--client", $"js14={JsAdapter(" --v14")}"]);

        var scenarios = Verdicts(run);
        Assert.DoesNotContain(scenarios, s => s.Verdict == "FAIL");
        Assert.True(scenarios.Count(s => s.Verdict == "PASS") >= 70, $"{scenarios.Count(s => s.Verdict == "PASS")} passed");
        var clientDifferences = scenarios.Where(s => s.Reason?.StartsWith("tagged @not-v14-client:", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(9, clientDifferences.Count);
        Assert.All(clientDifferences, s => Assert.Equal("SKIPPED", s.Verdict));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Verified level, js14 client: L4 @ v1 unverified", run.Stdout);
    }

    [Fact]
    public async Task A_bad_client_option_is_a_usage_error()
    {
        var run = await CliProcess.RunAsync("--client", "node=node x.mjs");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("built-in driver's name", run.Stderr);
    }
}
