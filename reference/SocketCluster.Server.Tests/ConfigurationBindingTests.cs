using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using SocketCluster.Server.Options;

namespace SocketCluster.Server.Tests;

/// <summary>The server options from an appsettings.json section (official names; durations in ms or "c" TimeSpans).</summary>
public sealed class ConfigurationBindingTests
{
    internal static IConfigurationSection Section(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "SocketCluster": {{json}} }""")))
            .Build().GetSection("SocketCluster");

    private static SocketClusterServerOptions Bind(string json)
    {
        var options = new SocketClusterServerOptions();
        options.BindConfiguration(Section(json));
        return options;
    }

    [Fact]
    public void Each_kind_of_option_binds_by_its_official_name()
    {
        var o = Bind("""
            {
              "path": "/sc/", "protocolVersion": 1, "pingTimeoutDisabled": true, "origins": "example.com:443",
              "authKey": "0123456789abcdef0123456789abcdef", "authDefaultExpiry": 3600, "maxPayload": 2048,
              "socketChannelLimit": null, "socketStreamCleanupMode": "close", "authVerifyAlgorithms": ["HS256", "HS384"],
              "PINGTIMEOUT": 12000
            }
            """);
        Assert.Equal(("/sc/", 1, true, "example.com:443"), (o.Path, o.ProtocolVersion, o.PingTimeoutDisabled, o.Origins));
        Assert.Equal(("0123456789abcdef0123456789abcdef", 3600L, 2048L), (o.AuthKey, o.AuthDefaultExpiry, o.MaxPayload));
        Assert.Null(o.SocketChannelLimit); // null in JSON: no limit
        Assert.Equal(SocketStreamCleanupMode.Close, o.SocketStreamCleanupMode);
        Assert.Equal(["HS256", "HS384"], o.AuthVerifyAlgorithms);
        Assert.Equal(TimeSpan.FromSeconds(12), o.PingTimeout); // names match in any case
        Assert.Equal(new SocketClusterServerOptions().AckTimeout, o.AckTimeout); // absent: the default stays
    }

    [Fact]
    public void A_number_is_milliseconds_not_days_and_a_string_is_a_TimeSpan()
    {
        var o = Bind("""
            { "pingInterval": 8000, "pingTimeout": "8000", "ackTimeout": "00:00:10", "handshakeTimeout": "1.00:00:00",
              "batchInterval": 12.5, "closeTimeout": "00:00:00.250" }
            """);
        // The stock binder reads "8000" as 8000 days.
        Assert.Equal(TimeSpan.FromMilliseconds(8000), o.PingInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(8000), o.PingTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), o.AckTimeout);
        Assert.Equal(TimeSpan.FromDays(1), o.HandshakeTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(12.5), o.BatchInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(250), o.CloseTimeout);
    }

    [Fact]
    public void An_unknown_key_is_an_error_naming_it()
    {
        var error = Assert.Throws<InvalidSocketClusterOptionsException>(() => Bind("""{ "pingIntervall": 8000 }"""));
        Assert.Equal("pingIntervall", error.Option);
        Assert.Contains("'SocketCluster:pingIntervall' is not an option (did you mean 'pingInterval'?)", error.Message);
        Assert.Contains("pingTimeout", error.Message); // lists the options
    }

    [Theory]
    [InlineData("""{ "pingInterval": "soon" }""", "pingInterval", "a number of milliseconds (e.g. 8000) or a TimeSpan")]
    [InlineData("""{ "ackTimeout": "10s" }""", "ackTimeout", "got \"10s\"")]
    [InlineData("""{ "protocolVersion": 1.5 }""", "protocolVersion", "must be a whole number")]
    [InlineData("""{ "strictHandshake": "yes" }""", "strictHandshake", "must be true or false")]
    [InlineData("""{ "socketStreamCleanupMode": "2" }""", "socketStreamCleanupMode", "must be one of Kill, Close, None")]
    [InlineData("""{ "pingInterval": { "ms": 5 } }""", "pingInterval", "must be a single value, not a section")]
    [InlineData("""{ "broker": "redis" }""", "broker", "cannot be set from configuration")]
    [InlineData("""{ "pingInterval": null }""", "pingInterval", "needs a value")]
    public void An_invalid_value_is_an_error_naming_the_option(string json, string option, string message)
    {
        var error = Assert.Throws<InvalidSocketClusterOptionsException>(() => Bind(json));
        Assert.Equal(option, error.Option);
        Assert.StartsWith($"Invalid SocketCluster server option '{option}'", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void The_stock_binder_days_trap_is_refused_with_a_hint()
    {
        // services.Configure<SocketClusterServerOptions>(section) uses the stock binder, which reads 8000 as days.
        var options = new SocketClusterServerOptions();
        ConfigurationBinder.Bind(Section("""{ "pingInterval": 8000 }"""), options);
        Assert.Equal(TimeSpan.FromDays(8000), options.PingInterval);
        var error = Assert.Throws<InvalidSocketClusterOptionsException>(() => SocketClusterServerOptionsValidator.Validate(options));
        Assert.Equal("pingInterval", error.Option);
        Assert.Contains("read 8000 as 8000 ms", error.Message);
    }

    [Fact]
    public async Task AddSocketCluster_binds_the_section_then_applies_the_code_and_validates_at_start_up()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSocketCluster(Section("""{ "pingInterval": 5000, "ackTimeout": "00:00:03", "path": "/x/" }"""),
            o => o.Path = "/sc/");
        await using var app = builder.Build();
        var server = app.MapSocketCluster();
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), "/sc/"), (server.Options.PingInterval, server.Options.AckTimeout, server.Options.Path));

        // A bound value is validated like one set in code, naming the option.
        var bad = WebApplication.CreateSlimBuilder();
        bad.Services.AddSocketCluster(Section("""{ "pingTimeout": 0 }"""));
        await using var badApp = bad.Build();
        Assert.Equal("pingTimeout", Assert.Throws<InvalidSocketClusterOptionsException>(() => badApp.MapSocketCluster()).Option);
    }
}
