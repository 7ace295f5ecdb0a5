using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using SocketCluster.Protocol;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

public sealed record Order(string Item, int Count);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
public sealed partial class OrderJsonContext : JsonSerializerContext;

/// <summary>Receiver&lt;T&gt;, Procedure&lt;TRequest&gt; and InvokeAsync&lt;TResult&gt;: typed data, and bad data never ends a loop.</summary>
public sealed class TypedDataTests
{
    [Fact]
    public async Task A_typed_receiver_reads_its_type_and_skips_reporting_what_does_not_fit()
    {
        await using var host = await TestHost.StartAsync();
        var received = new ConcurrentQueue<int?>();
        var errors = new ConcurrentQueue<string>();
        host.OnConnection(socket =>
        {
            _ = TestHost.Serve(socket.Receiver<int?>("count"), received.Enqueue);
            _ = TestHost.Serve(socket.Listener(ServerSocketEvents.Error), e => errors.Enqueue(((ScError)e.Error!).Name + ": " + e.Error!.Message));
        });
        await using var client = await host.ConnectOpenAsync();
        await client.TransmitAsync("count", 1);
        await client.TransmitAsync("count", "not a number");
        await client.TransmitAsync("count", withData: false);
        await client.TransmitAsync("count", 3);
        await Waits.Until(() => received.Count == 3, "three transmits that fit arrive");
        Assert.Equal([1, null, 3], received);
        Assert.StartsWith("InvalidArgumentsError: Receiver count got data that is not a Nullable`1", Assert.Single(errors));
    }

    [Fact]
    public async Task A_typed_procedure_answers_data_that_does_not_fit_with_an_error_and_goes_on()
    {
        await using var host = await TestHost.StartAsync(o => o.SerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = OrderJsonContext.Default });
        host.OnConnection(socket => _ = TestHost.Serve(socket.Procedure<Order>("order"), request => request.End($"{request.Data!.Count} x {request.Data.Item}")));
        await using var client = await host.ConnectOpenAsync();
        Assert.Equal("""{"rid":2,"data":"2 x tea"}""", (await client.InvokeAsync("order", new { item = "tea", count = 2 })).GetRawText());
        var bad = await client.InvokeAsync("order", new { item = "tea", count = "two" });
        Assert.Equal("InvalidArgumentsError", bad.GetProperty("error").GetProperty("name").GetString());
        Assert.StartsWith("Procedure order expects a Order:", bad.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("""{"rid":4,"data":"1 x cake"}""", (await client.InvokeAsync("order", new { item = "cake", count = 1 })).GetRawText());
    }

    [Fact]
    public async Task InvokeAsync_of_TResult_reads_the_clients_response()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        var call = socket.InvokeAsync<Order>("price", new Order("tea", 2));
        var request = await client.ReceiveJsonAsync();
        Assert.Equal("""{"item":"tea","count":2}""", request.GetProperty("data").GetRawText());
        await client.SendAsync($$$"""{"rid":{{{request.GetProperty("cid").GetInt64()}}},"data":{"item":"tea","count":3}}""");
        Assert.Equal(new Order("tea", 3), await call.WithTimeout());
    }
}
