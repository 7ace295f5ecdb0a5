using Conformance.Engine.Catalog;
using Conformance.Engine.Drivers.Adapters;
using Conformance.Engine.Support;
using Xunit;

namespace Conformance.Specs.EngineTests;

/// <summary>How client adapters join a run (spec/client-adapter.md §1, §4, §8): command parsing, capability needs, retargeted rows.</summary>
public sealed class ClientAdapterCatalogTests
{
    private static readonly IReadOnlyList<ScenarioCase> Features = FeatureCatalog.Load(
        ConformanceSession.Current.Settings.FeaturesFolder, ConformanceSession.Current.Settings.RepoRoot);

    [Fact]
    public void A_command_is_split_into_words_like_a_shell_without_running_one()
    {
        var spec = ClientAdapterSpec.Parse("mine=python3 \"/opt/my adapter/a.py\" --flag 'x y' a\\ b");
        Assert.Equal("mine", spec.Name);
        Assert.Equal(["python3", "/opt/my adapter/a.py", "--flag", "x y", "a b"], spec.Arguments);
        Assert.Throws<ArgumentException>(() => ClientAdapterSpec.Parse("node=node a.mjs"));
        Assert.Throws<ArgumentException>(() => ClientAdapterSpec.Parse("no-command="));
        Assert.Throws<ArgumentException>(() => ClientAdapterSpec.Parse("x=python3 'unbalanced"));
        Assert.Empty(ClientAdapterSpec.FromEnvironment(_ => null));
    }

    private static ScenarioCase Row(string file, string client, string nameStart) =>
        ClientDimension.Expand(Features, []).First(c => c.FeaturePath == file && c.Name.StartsWith(nameStart, StringComparison.Ordinal)
                                                        && c.Client == client);

    [Fact]
    public void Scenarios_need_the_capability_of_their_area_and_core_needs_none()
    {
        Assert.Empty(ClientCapabilities.NeededBy(Row("features/Client/Connect.feature", "node", "The client's first message")));
        Assert.Equal([ClientCapabilities.Reconnect], ClientCapabilities.NeededBy(Row("features/Client/Reconnect.feature", "node", "reconnect() closes")));
        Assert.Equal([ClientCapabilities.PubSub, ClientCapabilities.Batching],
            ClientCapabilities.NeededBy(Row("features/Batching/Batching.feature", "node", "A batching client sends")));
        // A batching server is something every client copes with: only the client's own batching options need it.
        Assert.DoesNotContain(ClientCapabilities.Batching, ClientCapabilities.NeededBy(Row("features/Batching/Batching.feature", "node", "A client handles the batched")));
        Assert.Contains(ClientCapabilities.Auth, ClientCapabilities.NeededBy(Row("features/Auth/AuthenticateEvent.feature", "node", "A client authenticates with a valid token")));
    }

    [Fact]
    public void By_default_each_client_row_runs_once_per_built_in_client_and_server_scenarios_once()
    {
        var cases = ClientDimension.Expand(Features, []);
        var clientRows = Features.Count(c => c.HasTag("client"));
        Assert.Equal(Features.Count + 3 * clientRows, cases.Count);
        Assert.All(cases.Where(c => !c.HasTag("client")), c => Assert.Null(c.Client));
        // The built-in clients in a fixed order, right after one another; keys unique and naming the client.
        var connect = cases.Where(c => c.Location == "features/Client/Connect.feature:12").ToList();
        Assert.Equal(["csharp", "chromium", "jint", "node"], connect.Select(c => c.Client));
        Assert.Equal("features/Client/Connect.feature:12 [client=jint]", connect[2].Id);
        Assert.Equal(cases.Count, cases.Select(c => c.Id).Distinct().Count());
        Assert.Equal(("features/Client/Connect.feature:12", "jint"), ClientDimension.SplitKey(connect[2].Id));
        Assert.Equal(("features/Client/Connect.feature:12", (string?)null), ClientDimension.SplitKey("features/Client/Connect.feature:12"));
        // No client scenario names its driver in an Examples column any more: the driver is the run dimension.
        Assert.DoesNotContain(Features, c => c.ExampleArguments.ContainsKey("client"));
        Assert.DoesNotContain(Features.SelectMany(c => c.Steps), s => s.Text.Contains("<client>", StringComparison.Ordinal));
    }

    [Fact]
    public void With_an_adapter_each_client_case_runs_with_it_and_fixed_helpers_stay()
    {
        var adapter = ClientAdapterSpec.Parse("mine=true");
        var cases = ClientAdapters.Retarget(Features, [adapter]);

        Assert.All(cases, c => Assert.Equal("mine", c.Client));
        Assert.Equal(Features.Count(c => c.HasTag("client")), cases.Count);
        // The client under test is the run dimension; a helper actor keeps its kind (here a raw connection; no client
        // scenario has a fixed node helper, so that nothing needs Node with the embedded known-good server).
        var row = cases.Single(c => c.FeaturePath == "features/PubSub/TransmitPublish.feature" && c.Name.StartsWith("A subscriber receives awaited publications", StringComparison.Ordinal));
        Assert.Contains(row.Steps, s => s.Text == "a client C is connected");
        Assert.Contains(row.Steps, s => s.Text == "raw connection P has completed the handshake");
        Assert.DoesNotContain(cases.SelectMany(c => c.Steps), s => s.Text.StartsWith("a node client C ", StringComparison.Ordinal));
        Assert.Contains("client=mine", row.DisplayName);
        Assert.EndsWith(" [client=mine]", row.Id, StringComparison.Ordinal);
    }
}
