using SocketCluster.Client;

namespace SocketCluster.Client.Tests.Unit;

/// <summary>
/// The token name (official authTokenName): derived from the target at creation, and kept by Connect(newOptions)
/// unless the new options name one, as socketcluster-client 20.0.2 does (its constructor stores the derived name in
/// its options, so connect(options) with another port finds it set and keeps it).
/// </summary>
public sealed class AuthTokenNameTests
{
    [Fact]
    public async Task Connect_with_new_options_keeps_the_name_derived_at_creation()
    {
        await using var client = SocketClusterClient.Create(new ClientOptions
        {
            Hostname = "127.0.0.1", Port = 1111, AutoConnect = false, AutoReconnect = false,
        });
        Assert.Equal("socketcluster.authToken.127.0.0.1:1111", client.AuthTokenName);

        client.Connect(client.Options with { Port = 2222 });
        client.Disconnect(1000, null);
        Assert.Equal("socketcluster.authToken.127.0.0.1:1111", client.AuthTokenName);
    }

    [Fact]
    public async Task Connect_with_new_options_that_name_a_token_uses_that_name()
    {
        await using var client = SocketClusterClient.Create(new ClientOptions
        {
            Hostname = "127.0.0.1", Port = 1111, AutoConnect = false, AutoReconnect = false,
        });
        client.Connect(client.Options with { AuthTokenName = "app.token" });
        client.Disconnect(1000, null);
        Assert.Equal("app.token", client.AuthTokenName);
    }
}
