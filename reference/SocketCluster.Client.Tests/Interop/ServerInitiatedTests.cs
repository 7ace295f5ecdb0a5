using System.Text.Json;
using SocketCluster.Client;
using SocketCluster.Client.Tests.Infrastructure;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Interop;

/// <summary>The server transmitting to and invoking the client: Receiver and Procedure (seed "!! also on a client socket").</summary>
public sealed class ServerInitiatedTests : InteropTest
{
    [Theory, MemberData(nameof(Targets))]
    public async Task Server_transmit_reaches_the_client_receiver_with_absent_and_null_data_kept_apart(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var hello = client.Receiver("hello").CreateConsumer();

        await client.InvokeAsync("conformance.transmit", new { @event = "hello", data = "world" });
        await client.InvokeAsync("conformance.transmit", new { @event = "hello" });
        await client.InvokeAsync("conformance.transmit", new { @event = "hello", data = (string?)null });

        Assert.Equal("\"world\"", TestClients.Json(await hello.NextAsync()));
        Assert.Null(await hello.NextAsync());
        Assert.Equal("null", TestClients.Json(await hello.NextAsync()));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Receiver_iterated_with_await_foreach(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var received = new List<string>();
        var loop = Task.Run(async () =>
        {
            await foreach (var data in client.Receiver("ticker"))
            {
                received.Add(TestClients.Json(data));
                if (received.Count == 3) break;
            }
        });
        await TestClients.UntilAsync(() => client.Receiver("ticker").HasConsumers, "receiver loop started");
        for (var i = 1; i <= 3; i++) await client.InvokeAsync("conformance.transmit", new { @event = "ticker", data = i });
        await loop.Within();
        Assert.Equal(["1", "2", "3"], received);
        await TestClients.UntilAsync(() => !client.Receiver("ticker").HasConsumers, "loop consumer disposed after break");
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Server_invoke_is_answered_by_the_client_procedure(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var serving = Task.Run(async () =>
        {
            await foreach (var request in client.Procedure("clientProc"))
            {
                request.End(request.Data!.Value.GetInt32() * 2);
                break;
            }
        });
        await TestClients.UntilAsync(() => client.Procedure("clientProc").HasConsumers, "procedure loop started");

        var outcome = await client.InvokeAsync("conformance.invoke", new { procedure = "clientProc", data = 5 });
        Assert.Equal("""{"data":10}""", TestClients.Json(outcome));
        await serving.Within();
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Client_procedure_error_reaches_the_server_with_name_and_message(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var requests = client.Procedure("failing").CreateConsumer();

        var outcomeTask = client.InvokeAsync("conformance.invoke", new { procedure = "failing" });
        var request = await requests.NextAsync();
        Assert.Null(request.Data); // invoked without data
        request.Error(new ScError("ClientSideError", "It failed on the client", new() { ["extra"] = 42 }));

        var error = (await outcomeTask)!.Value.GetProperty("error");
        Assert.Equal("ClientSideError", error.GetProperty("name").GetString());
        Assert.Equal("It failed on the client", error.GetProperty("message").GetString());
        Assert.Equal(42, error.GetProperty("extra").GetInt32());
        Assert.False(error.TryGetProperty("stack", out _));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Client_procedure_end_without_data_and_with_null_are_distinct(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var requests = client.Procedure("answer").CreateConsumer();

        var first = client.InvokeAsync("conformance.invoke", new { procedure = "answer" });
        (await requests.NextAsync()).End();
        Assert.Equal("{}", TestClients.Json(await first));

        var second = client.InvokeAsync("conformance.invoke", new { procedure = "answer" });
        (await requests.NextAsync()).End(ScCodec.NullElement);
        Assert.Equal("""{"data":null}""", TestClients.Json(await second));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task A_request_answered_twice_is_refused_locally(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var requests = client.Procedure("twice").CreateConsumer();

        var outcome = client.InvokeAsync("conformance.invoke", new { procedure = "twice" });
        var request = await requests.NextAsync();
        request.End("once");
        var error = Assert.Throws<ScError>(() => request.End("twice"));
        Assert.Equal(ScErrorNames.InvalidActionError, error.Name);
        Assert.Equal("""{"data":"once"}""", TestClients.Json(await outcome));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Server_invoke_without_a_client_procedure_gets_no_response(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);

        var outcome = await client.InvokeAsync("conformance.invoke", new { procedure = "nobodyHome", ackTimeout = 300 });
        var error = outcome!.Value.GetProperty("error");
        Assert.Equal("TimeoutError", error.GetProperty("name").GetString());
        Assert.Equal("Event response for nobodyHome event timed out", error.GetProperty("message").GetString());
    }
}
