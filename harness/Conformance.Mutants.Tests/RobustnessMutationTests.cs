using Conformance.Mutants.Mutations;

namespace Conformance.Mutants.Tests;

/// <summary>The triggers of the crash mutants (RB-010 with RB-015, RB-023) and the shared outage they cause.</summary>
public sealed class RobustnessMutationTests
{
    [Theory]
    [InlineData(20, "[", "]", true)]
    [InlineData(10, "[", "]", false)]
    [InlineData(20, "{\"a\":", "}", true)]
    public void Nesting_depth_counts_structure(int depth, string open, string close, bool deeper) =>
        Assert.Equal(deeper, CrashOnHostileInput.IsNestedDeeperThan(
            WireFrame.FromText(string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth))), 15));

    [Fact]
    public void Brackets_inside_strings_are_not_nesting()
    {
        var text = "{\"event\":\"e\",\"data\":\"" + new string('[', 100) + "\\\"" + new string('{', 100) + "\"}";
        Assert.False(CrashOnHostileInput.IsNestedDeeperThan(WireFrame.FromText(text), 15));
    }

    [Fact]
    public void A_huge_event_name_triggers_and_a_long_string_does_not()
    {
        var big = new string('e', 200);
        Assert.True(CrashOnHostileInput.HasEventNameLongerThan(WireFrame.FromText($$"""{"event":"{{big}}","data":1}"""), 100));
        Assert.False(CrashOnHostileInput.HasEventNameLongerThan(WireFrame.FromText($$"""{"event":"e","data":"{{big}}"}"""), 100));
    }

    [Fact]
    public void The_crash_drops_every_open_connection_and_refuses_new_ones()
    {
        // A fresh mutation (its own outage), so the catalog's instance stays up for the self-test.
        var mutation = CrashOnHostileInput.Make("crash-under-test", "test", ["RB-023"], f => CrashOnHostileInput.HasEventNameLongerThan(f, 10_000));
        var neighbour = new SessionDriver(mutation).Handshake();
        var attacker = new SessionDriver(mutation).Handshake();
        attacker.FromClient($$"""{"event":"{{new string('e', 20_000)}}","data":1}""");
        Assert.True(attacker.Relay.ClientAborted);
        Assert.True(neighbour.Relay.ClientAborted);
        Assert.Null(mutation.CreateSession().UpstreamPath("/socketcluster/"));
    }
}
