using SocketCluster.Client;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Unit;

/// <summary>The batching options: official defaults and start-up validation naming the option.</summary>
public sealed class BatchingOptionsTests
{
    [Fact]
    public void Defaults_are_the_official_ones()
    {
        var options = new ClientOptions();
        Assert.False(options.BatchOnHandshake);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.BatchOnHandshakeDuration);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.BatchInterval);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(-50.0)]
    [InlineData(2147483648.0)]
    public void An_out_of_range_batchInterval_is_rejected_naming_the_option(double ms)
    {
        var error = Assert.Throws<ScError>(() => SocketClusterClient.Create(new ClientOptions
        {
            AutoConnect = false,
            BatchInterval = TimeSpan.FromMilliseconds(ms),
        }));
        Assert.Equal(ScErrorNames.InvalidArgumentsError, error.Name);
        Assert.Equal("The batchInterval option must be at least 1 ms and at most 2147483647 ms", error.Message);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(2147483648.0)]
    public void An_out_of_range_batchOnHandshakeDuration_is_rejected_naming_the_option(double ms)
    {
        var error = Assert.Throws<ScError>(() => SocketClusterClient.Create(new ClientOptions
        {
            AutoConnect = false,
            BatchOnHandshake = true,
            BatchOnHandshakeDuration = TimeSpan.FromMilliseconds(ms),
        }));
        Assert.Equal(ScErrorNames.InvalidArgumentsError, error.Name);
        Assert.Equal("The batchOnHandshakeDuration option must be at least 0 ms and at most 2147483647 ms", error.Message);
    }

    [Fact]
    public async Task Limits_are_accepted_and_new_options_are_validated_on_connect()
    {
        await using var client = SocketClusterClient.Create(new ClientOptions
        {
            AutoConnect = false,
            BatchOnHandshake = true,
            BatchOnHandshakeDuration = TimeSpan.Zero,
            BatchInterval = TimeSpan.FromMilliseconds(1),
        });
        Assert.False(client.IsBatching);
        Assert.False(client.IsBufferingBatch);

        var error = Assert.Throws<ScError>(() => client.Connect(client.Options with { BatchInterval = TimeSpan.Zero }));
        Assert.Contains("batchInterval", error.Message);
        Assert.Equal(ConnectionState.Closed, client.State);
    }

    [Fact]
    public async Task Batching_state_on_a_closed_socket_and_after_disposal()
    {
        var client = SocketClusterClient.Create(new ClientOptions { AutoConnect = false });
        client.StartBatching();
        Assert.True(client.IsBatching);
        Assert.False(client.IsBufferingBatch); // no connection to collect for yet
        client.CancelBatching();
        Assert.False(client.IsBatching);
        client.StartBatching();
        client.StopBatching();
        Assert.False(client.IsBatching);

        await client.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => client.StartBatching());
        client.StopBatching(); // harmless after disposal
        client.CancelBatching();
    }
}
