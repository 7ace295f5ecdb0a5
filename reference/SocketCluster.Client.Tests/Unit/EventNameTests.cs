using SocketCluster.Client;

namespace SocketCluster.Client.Tests.Unit;

/// <summary>The typed event names: their official strings, and comparisons with strings compare the names.</summary>
public sealed class EventNameTests
{
    [Fact]
    public void Typed_names_are_the_official_strings_wherever_a_string_is_expected()
    {
        Assert.Equal("connect", ClientEvents.Connect.Name);
        // Assert.Equal/NotEqual/Contains infer string here (a token never equals a string as an object).
        string stateChange = "subscribeStateChange", connect = "connect";
        Assert.Equal(ClientEvents.SubscribeStateChange, stateChange);
        Assert.NotEqual(ClientEvents.Disconnect, connect);
        Assert.Contains(ClientEvents.Disconnect, new List<string> { "disconnect" });
        Assert.True("kickOut" == ClientEvents.KickOut);
        Assert.Equal("authenticate/x", $"{ClientEvents.Authenticate}/x");
    }

    [Fact]
    public async Task A_typed_listener_gives_its_record_and_the_named_one_the_same_records()
    {
        await using var client = SocketClusterClient.Create(new ClientOptions { AutoConnect = false, Port = 1 });
        await using var typed = client.Listener(ClientEvents.Error).CreateConsumer();
        await using var named = client.Listener("error").CreateConsumer();
        var error = new ErrorEvent(new InvalidOperationException("app error"));
        client.Emit(ClientEvents.Error, error);
        ErrorEvent received = await typed.NextAsync(TimeSpan.FromSeconds(10));
        Assert.Same(error, received);
        Assert.Same(error, await named.NextAsync(TimeSpan.FromSeconds(10)));
    }
}
