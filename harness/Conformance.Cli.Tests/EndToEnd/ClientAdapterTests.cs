using System.Text.Json;
using Conformance.Engine.Catalog;
using Xunit;

namespace Conformance.Cli.Tests.EndToEnd;

/// <summary>
/// The client adapter protocol (spec/client-adapter.md) end to end: the gate runs client scenarios through the two
/// reference adapters (the official JS client under Node, the C# reference client as a .NET program) and they get the
/// verdicts the in-process drivers get; an adapter that declares fewer capabilities gets a lower level, with the
/// scenarios it did not declare UNIMPLEMENTED — neither passed nor failed.
/// </summary>
public sealed class ClientAdapterTests : IDisposable
{
    // The L1 client scenarios at v2: every core operation (connect, transmit, invoke, procedures, close codes, pings).
    private const string L1Client = "@client and @L1 and @v2";

    private readonly string _dir = Directory.CreateTempSubdirectory("adapter-tests-").FullName;
    private static readonly string Root = RepoRoot.Find();

    private static string JsAdapter(string extra = "") =>
        $"node \"{Path.Combine(Root, "js-client-fixtures", "adapter", "node-adapter.mjs")}\"{extra}";

    private static string CSharpAdapter =>
        $"dotnet \"{Path.Combine(AppContext.BaseDirectory, "Conformance.CSharpAdapter.dll")}\"";

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

        var level = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "lean", "report.json"))).RootElement
            .GetProperty("summary").GetProperty("levels").EnumerateArray().Single(l => l.GetProperty("subject").GetString() == "lean");
        Assert.Equal("L3", level.GetProperty("verifiedLevel").GetString());
        Assert.Contains("Verified level, lean client: L3 @ v2", run.Stdout);
    }

    [Fact]
    public async Task A_bad_client_option_is_a_usage_error()
    {
        var run = await CliProcess.RunAsync("--client", "node=node x.mjs");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("built-in driver's name", run.Stderr);
    }

    private async Task<CliProcess.Result> RunAsync(string name, string[] args)
    {
        var run = await CliProcess.RunAsync([.. args, "--plain", "--report", Path.Combine(_dir, name)]);
        Assert.True(run.ExitCode is 0 or 1, run.ToString());
        return run;
    }

    private sealed record Row(string Key, string Subject, string Verdict, string? Reason, IReadOnlyList<string> Tags);

    private List<Row> Verdicts(CliProcess.Result run)
    {
        var report = Directory.EnumerateFiles(_dir, "report.json", SearchOption.AllDirectories)
            .Single(f => run.Stdout.Contains(f, StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        return doc.RootElement.GetProperty("scenarios").EnumerateArray().Select(s => new Row(
            s.GetProperty("key").GetString()!, s.GetProperty("subject").GetString()!, s.GetProperty("verdict").GetString()!,
            s.TryGetProperty("reason", out var r) ? r.GetString() : null,
            s.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList())).ToList();
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
