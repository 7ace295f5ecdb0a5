using SocketCluster.Server.Options;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_are_the_official_ones()
    {
        var o = new SocketClusterServerOptions();
        Assert.Equal(("/socketcluster/", 2), (o.Path, o.ProtocolVersion));
        Assert.Equal([8000, 30000, 10000, 10000, 5000], new[] { o.PingInterval, o.PingTimeout, o.AckTimeout, o.HandshakeTimeout, o.CloseTimeout }.Select(t => t.TotalMilliseconds));
        Assert.True(o.StrictHandshake);
        Assert.True(o.AllowClientPublish);
        Assert.False(o.PingTimeoutDisabled);
        Assert.False(o.BatchOnHandshake);
        // Hardened defaults (README "Security"; RB-011, RB-031), not the official server's (no limit, 100 MiB).
        Assert.Equal(10_000, o.SocketChannelLimit);
        Assert.Equal(1024 * 1024, o.MaxPayload);
        Assert.Equal(1024 * 1024, o.EffectiveMaxPayload);
        Assert.Equal("*:*", o.Origins);
        Assert.Equal(86400, o.AuthDefaultExpiry);
        Assert.Null(o.AuthKey);
        Assert.Equal((400, 50), (o.BatchOnHandshakeDuration.TotalMilliseconds, o.BatchInterval.TotalMilliseconds));
    }

    public static TheoryData<string, Action<SocketClusterServerOptions>> Invalid => new()
    {
        { "pingInterval", o => o.PingInterval = TimeSpan.FromMilliseconds(0) },
        { "pingTimeout", o => o.PingTimeout = TimeSpan.FromMilliseconds(-1) },
        { "pingTimeout", o => o.PingTimeout = TimeSpan.FromMicroseconds(500) }, // under 1 ms: the handshake would say 0
        { "pingInterval", o => o.PingInterval = TimeSpan.FromDays(25) }, // beyond 2^31-1 ms (what Node's timers take)
        { "batchOnHandshakeDuration", o => o.BatchOnHandshakeDuration = TimeSpan.Zero },
        { "closeTimeout", o => o.CloseTimeout = TimeSpan.Zero },
        { "ackTimeout", o => o.AckTimeout = TimeSpan.FromMilliseconds(0) },
        { "handshakeTimeout", o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(0) },
        { "protocolVersion", o => o.ProtocolVersion = 3 },
        { "path", o => o.Path = "socketcluster/" },
        { "socketChannelLimit", o => o.SocketChannelLimit = 0 },
        { "maxPayload", o => o.MaxPayload = 0 },
        { "origins", o => o.Origins = "nocolon" },
        { "authAlgorithm", o => o.AuthAlgorithm = "RS256" },
        { "authDefaultExpiry", o => o.AuthDefaultExpiry = 0 },
        { "batchInterval", o => o.BatchInterval = TimeSpan.FromMilliseconds(0) },
        { "authKey", o => { o.AuthAlgorithm = "HS512"; o.AuthKey = new string('k', 40); } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_invalid_option_fails_at_start_up_naming_the_option(string option, Action<SocketClusterServerOptions> spoil)
    {
        var options = new SocketClusterServerOptions();
        spoil(options);
        var error = Assert.Throws<InvalidSocketClusterOptionsException>(() => new SocketClusterServer(options));
        Assert.Equal(option, error.Option);
        Assert.StartsWith($"Invalid SocketCluster server option '{option}'", error.Message);
    }

    [Fact]
    public void A_short_authKey_is_refused_with_a_clear_message()
    {
        var error = Assert.Throws<InvalidSocketClusterOptionsException>(() => new SocketClusterServer(new SocketClusterServerOptions { AuthKey = "testkey" }));
        Assert.Equal("authKey", error.Option);
        Assert.Contains("at least 32 bytes", error.Message);
        Assert.Contains("got 7", error.Message);
        Assert.Contains("IDX10517", error.Message); // names the misleading error it prevents
    }

    [Fact]
    public async Task Invalid_options_fail_when_the_app_maps_the_server()
    {
        var error = await Assert.ThrowsAsync<InvalidSocketClusterOptionsException>(() => TestHost.StartAsync(o => o.PingTimeout = TimeSpan.FromMilliseconds(0)));
        Assert.Equal("pingTimeout", error.Option);
    }

    [Fact]
    public async Task MapSocketCluster_takes_the_path()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.Services.AddSocketCluster();
        await using var app = builder.Build();
        var server = app.MapSocketCluster("/sc/");
        Assert.Equal("/sc/", server.Options.Path);
    }

    [Fact]
    public void Without_authKey_a_random_64_character_key_is_used()
    {
        var one = new SocketClusterServer(new SocketClusterServerOptions());
        var two = new SocketClusterServer(new SocketClusterServerOptions());
        Assert.Matches("^[0-9a-f]{64}$", one.SignatureKey);
        Assert.NotEqual(one.SignatureKey, two.SignatureKey);
    }

    [Theory]
    [InlineData("*:*", null, true)]
    [InlineData("example.com:443", "https://example.com", true)]
    [InlineData("example.com:443", "http://example.com", false)]
    [InlineData("example.com:*", "http://example.com:8080", true)]
    [InlineData("*:8080", "http://other.org:8080", true)]
    [InlineData("example.com:443", null, false)]
    [InlineData("*:80", null, true)]
    public void The_origins_check_matches_the_official_rules(string origins, string? origin, bool allowed) =>
        Assert.Equal(allowed, new OriginPolicy(origins).IsAllowed(origin));
}
