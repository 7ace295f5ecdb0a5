using System.Text.Json;
using Conformance.Engine.Support;
using Xunit;

namespace Conformance.Specs.EngineTests;

/// <summary>conformance.hello's optional capabilities (spec/fixture-app.md §2.1) and the @capability-NAME skip reason.</summary>
public sealed class FixtureCapabilityTests
{
    private static readonly Uri Endpoint = new("ws://127.0.0.1:1/socketcluster/");

    private static FixtureInfo Hello(string data)
    {
        var response = JsonDocument.Parse($$"""{"rid":2,"data":{{data}}}""").RootElement.Clone();
        return FixtureContract.Parse(response, Endpoint).Info ?? throw new InvalidOperationException("hello was not accepted");
    }

    private const string Base = "\"contract\":1,\"implementation\":\"x\",\"protocolVersion\":2,\"pingInterval\":1000,\"pingTimeout\":3000,\"ackTimeout\":2000";

    [Theory]
    [InlineData("{\"contract\":1,\"implementation\":\"x\",\"protocolVersion\":2}", "conformance.hello on ws://127.0.0.1:1/socketcluster/ lacks pingInterval, pingTimeout, ackTimeout")]
    [InlineData("{\"contract\":2}", "conformance.hello on ws://127.0.0.1:1/socketcluster/ reports an unsupported contract (expected \"contract\": 1)")]
    [InlineData("7", "conformance.hello on ws://127.0.0.1:1/socketcluster/ answered without a data object")]
    public void A_hello_that_answers_but_breaks_the_contract_names_what_is_wrong_in_one_line(string data, string expected)
    {
        var response = JsonDocument.Parse($$"""{"rid":2,"data":{{data}}}""").RootElement.Clone();
        var probe = FixtureContract.Parse(response, Endpoint);
        Assert.Null(probe.Info);
        Assert.Equal(expected, probe.ContractError);
        // The first line of the explanation is the skip reason of every @fixture scenario; the answer follows as evidence.
        Assert.Equal(expected + " (spec/fixture-app.md §5.1)", probe.Explanation.Split('\n')[0]);
        Assert.Contains("conformance.hello answered:", probe.Explanation);
    }

    [Fact]
    public void A_hello_without_capabilities_offers_none_and_skips_capability_scenarios_with_the_reason()
    {
        var info = Hello("{" + Base + "}");
        Assert.Empty(info.Capabilities);
        var reason = FixtureContract.MissingCapability(info, ["server", "capability-delayHandshake", "fixture"]);
        Assert.Equal("needs the optional fixture capability delayHandshake (spec/fixture-app.md §2.1), but conformance.hello of x advertises: none", reason);
    }

    [Fact]
    public void Advertised_capabilities_let_the_scenario_run_and_non_strings_are_ignored()
    {
        var info = Hello("{" + Base + ",\"capabilities\":[\"interceptPublish\",7,null,\"delayHandshake\",\"\"]}");
        Assert.Equal(["delayHandshake", "interceptPublish"], info.Capabilities.Order(StringComparer.Ordinal));
        Assert.Null(FixtureContract.MissingCapability(info, ["capability-delayHandshake", "capability-interceptPublish"]));
        Assert.Null(FixtureContract.MissingCapability(info, ["server", "fixture"]));
        Assert.Contains("setAuthTokenInHandshake", FixtureContract.MissingCapability(info, ["capability-setAuthTokenInHandshake"]));
    }

    [Fact]
    public void A_capabilities_member_that_is_not_an_array_offers_none()
    {
        var info = Hello("{" + Base + ",\"capabilities\":\"delayHandshake\"}");
        Assert.Empty(info.Capabilities);
    }
}
