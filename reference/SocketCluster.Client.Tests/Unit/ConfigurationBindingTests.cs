using System.Text;
using Microsoft.Extensions.Configuration;
using SocketCluster.Client;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Unit;

/// <summary>The client options from an appsettings.json section (official names; durations in ms or "c" TimeSpans).</summary>
public sealed class ConfigurationBindingTests
{
    private static IConfigurationSection Section(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "SocketCluster": {{json}} }""")))
            .Build().GetSection("SocketCluster");

    [Fact]
    public void Each_kind_of_option_binds_by_its_official_name_over_the_given_options()
    {
        var store = new InMemoryAuthTokenStore();
        var options = ClientOptions.FromConfiguration(Section("""
            {
              "hostname": "example.com", "port": 8443, "secure": true, "autoConnect": false, "protocolVersion": 1,
              "ackTimeout": 10000, "connectTimeout": "00:00:05", "batchOnHandshake": true, "maxPayload": 4096,
              "autoReconnectOptions": { "initialDelay": 2000, "multiplier": 2.5 }
            }
            """), new ClientOptions { AuthEngine = store, AutoReconnectOptions = new AutoReconnectOptions { MaxDelay = TimeSpan.FromSeconds(7) } });
        Assert.Equal(("example.com", (int?)8443, true, false, 1), (options.Hostname, options.Port, options.Secure, options.AutoConnect, options.ProtocolVersion));
        // A number is milliseconds (the stock binder reads 10000 as days), a string a TimeSpan.
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)), (options.AckTimeout, options.ConnectTimeout));
        Assert.Equal((true, 4096L), (options.BatchOnHandshake, options.MaxPayload));
        // Nested options bind onto a copy of the given ones; what code set and the section does not name stays.
        Assert.Equal((TimeSpan.FromSeconds(2), 2.5, TimeSpan.FromSeconds(7)),
            (options.AutoReconnectOptions.InitialDelay, options.AutoReconnectOptions.Multiplier, options.AutoReconnectOptions.MaxDelay));
        Assert.Same(store, options.AuthEngine);
    }

    [Theory]
    [InlineData("""{ "ackTimout": 5000 }""", "ackTimout", "is not an option (did you mean 'ackTimeout'?)")]
    [InlineData("""{ "autoReconnectOptions": { "initialDelays": 5 } }""", "autoReconnectOptions.initialDelays", "did you mean 'autoReconnectOptions.initialDelay'?")]
    [InlineData("""{ "ackTimeout": "ten seconds" }""", "ackTimeout", "a number of milliseconds (e.g. 8000) or a TimeSpan")]
    [InlineData("""{ "port": "http" }""", "port", "must be a whole number")]
    [InlineData("""{ "timeProvider": "system" }""", "timeProvider", "cannot be set from configuration")]
    public void A_bad_key_or_value_is_an_InvalidArgumentsError_naming_it(string json, string option, string message)
    {
        var error = Assert.Throws<ScError>(() => ClientOptions.FromConfiguration(Section(json)));
        Assert.Equal("InvalidArgumentsError", error.Name);
        Assert.StartsWith($"The {option} option is invalid: ", error.Message);
        Assert.Contains(message, error.Message);
    }
}
