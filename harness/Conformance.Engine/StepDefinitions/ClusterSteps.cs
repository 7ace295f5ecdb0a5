using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Reqnroll;

namespace Conformance.Engine.StepDefinitions;

/// <summary>
/// STEPS.md §9.1 phrases 84–86: node and broker restarts of a cluster the suite started (@cluster-control), and a publication
/// repeated until it arrives, for the moments when a cluster is re-forming (CL-008, CL-009).
/// </summary>
[Binding]
public sealed class ClusterSteps(ScenarioWorld world, OperationSteps operations)
{
    [StepDefinition("node {int} of the cluster is stopped")]
    public async Task NodeStopped(int node) => await (await ControlAsync()).StopNodeAsync(node, world.Cancellation);

    [StepDefinition("node {int} of the cluster is started again")]
    public async Task NodeStarted(int node) => await (await ControlAsync()).StartNodeAsync(node, world.Cancellation);

    [StepDefinition("the broker of the cluster is stopped")]
    public async Task BrokerStopped() => await (await ControlAsync()).StopBrokerAsync(world.Cancellation);

    [StepDefinition("the broker of the cluster is started again")]
    public async Task BrokerStarted() => await (await ControlAsync()).StartBrokerAsync(world.Cancellation);

    /// <summary>
    /// Publishes (transmitPublish) every <paramref name="intervalMs"/> ms until the subscriber has the publication, within
    /// the default wait: a cluster that is re-forming may drop publications for a moment, the requirement is that
    /// delivery resumes (CL-008, CL-009). Copies that arrive later are left for the following steps to see.
    /// </summary>
    [StepDefinition("{word} publishes {string} to {string} every {int} ms until {word} receives it")]
    public async Task PublishesUntilReceived(string publisher, string data, string channel, int intervalMs, string subscriber)
    {
        if (intervalMs is < 10 or > 5000) throw new ArgumentException($"The interval must be 10 to 5000 ms, got {intervalMs}");
        var connection = world.Raw(subscriber, "publishes ... until ... receives it").Open;
        var pattern = FramePattern.Create(world,
            "{\"event\":\"#publish\",\"data\":{\"channel\":" + OutboundFrames.Quote(channel) + ",\"data\":" + data + "}}");
        var deadline = DateTime.UtcNow + world.DefaultWait;
        var attempts = 0;
        while (true)
        {
            attempts++;
            await operations.Publishes(publisher, data, channel, "transmitPublish");
            try
            {
                await RawExpectations.ReceivesAsync(connection, pattern, world, TimeSpan.FromMilliseconds(intervalMs));
                return;
            }
            catch (ConformanceAssertionException) when (DateTime.UtcNow < deadline)
            {
            }
            catch (ConformanceAssertionException e)
            {
                throw new ConformanceAssertionException(
                    $"{subscriber} did not receive {data} on \"{channel}\" after {attempts} publications by {publisher} over {world.DefaultWait.TotalSeconds:0} s", e)
                { Expected = pattern.ToString(), Actual = RawExpectations.Received(connection) };
            }
        }
    }

    private async Task<IClusterControl> ControlAsync() =>
        (await world.ClusterAsync()).Control
        ?? throw new ScenarioSkippedException(NotApplicableKind.NotACluster,
            "no control over the cluster's processes: tag the scenario @cluster-control (the suite restarts only a cluster it started)");
}
