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
