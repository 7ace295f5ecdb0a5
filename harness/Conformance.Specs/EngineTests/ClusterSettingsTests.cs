using Conformance.Engine.Catalog;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Conformance.Reports;
using Xunit;

namespace Conformance.Specs.EngineTests;

/// <summary>Issue 15 §2: the nodes of a cluster from the environment, and @cluster scenarios out of scope elsewhere.</summary>
public sealed class ClusterSettingsTests
{
    private static EngineSettings From(params (string Name, string Value)[] env) =>
        EngineSettings.FromEnvironment(EngineSettings.FindRepoRoot(), name => env.FirstOrDefault(e => e.Name == name).Value);

    [Fact]
    public void SC_ENDPOINTS_names_the_nodes_of_an_external_cluster_without_process_control()
    {
        var settings = From(("SC_ENDPOINTS", "ws://a:1/socketcluster/, ws://b:2/socketcluster/"));
        Assert.Equal((true, true, false), (settings.Target is RunTarget.External, settings.IsCluster, settings.ControlsCluster));
        Assert.Equal(new Uri("ws://a:1/socketcluster/"), settings.Endpoint);
        Assert.Equal(2, settings.ClusterEndpoints.Count);
        Assert.False(From(("SC_ENDPOINTS", "ws://a:1/socketcluster/")).IsCluster);
    }

    [Fact]
    public void SC_TARGET_cluster_starts_nodes_the_suite_controls()
    {
        var settings = From(("SC_TARGET", "cluster"), ("SC_CLUSTER_NODES", "3"));
        Assert.Equal((3, true, true), (settings.ClusterNodes, settings.IsCluster, settings.ControlsCluster));
        Assert.Equal(2, From(("SC_TARGET", "cluster")).ClusterNodes);
        Assert.Throws<ArgumentException>(() => From(("SC_ENDPOINTS", "ws://a:1/"), ("SC_ENDPOINT", "ws://b:1/")));
        Assert.Throws<ArgumentException>(() => From(("SC_CLUSTER_NODES", "3")));
    }

    [Fact]
    public async Task Cluster_scenarios_outside_a_cluster_run_are_not_run_and_out_of_scope()
    {
        var root = EngineSettings.FindRepoRoot();
        var scenario = FeatureCatalog.Load(Path.Combine(root, "features"), root).First(c => c.HasTag("cluster") && !c.HasTag("cluster-control"));
        await using var session = new ConformanceSession(From());
        var result = await new ScenarioRunner(session).RunAsync(scenario, TestContext.Current.CancellationToken);
        Assert.Equal((ScenarioStatus.Skipped, NotApplicableKind.NotACluster), (result.Status, result.NotApplicable));
        Assert.Equal(Outcome.NotRun, EngineResultMapper.ToRecord(scenario, result, 2, DateTimeOffset.UtcNow).Outcome);

        var control = FeatureCatalog.Load(Path.Combine(root, "features"), root).First(c => c.HasTag("cluster-control"));
        await using var external = new ConformanceSession(From(("SC_ENDPOINTS", "ws://127.0.0.1:1/socketcluster/,ws://127.0.0.1:2/socketcluster/")));
        var controlled = await new ScenarioRunner(external).RunAsync(control, TestContext.Current.CancellationToken);
        Assert.Equal(NotApplicableKind.NotACluster, controlled.NotApplicable);
        Assert.Contains("no control over the cluster's processes", controlled.Message);
    }
}
