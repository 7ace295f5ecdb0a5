namespace SocketCluster.Client.Tests.DocsExamples;

/// <summary>Typed event names: a misspelt name, or a socket event asked of the server, is a compile error.</summary>
public sealed partial class DocsExamplesTests
{
    [Theory]
    [InlineData("server.Listener(ServerEvents.Connection)", null)]
    [InlineData("server.Listener(\"conection\")", null)] // the official API's string form compiles (and never fires)
    [InlineData("server.Listener(ServerEvents.Conection)", "CS0117")]
    [InlineData("server.Listener(ServerSocketEvents.Connect)", "CS1503")]
    [InlineData("socket.Listener(ServerEvents.Connection)", "CS1503")]
    [InlineData("client.Listener(ClientEvents.Conect)", "CS0117")]
    public void A_misspelt_or_misplaced_event_name_does_not_compile(string expression, string? error)
    {
        var code = $$"""
            using SocketCluster.Client;
            using SocketCluster.Server;
            using SocketCluster.Server.Options;
            var server = new SocketClusterServer(new SocketClusterServerOptions());
            ServerSocket socket = null!;
            var client = SocketClusterClient.Create(new ClientOptions { AutoConnect = false });
            _ = (server, socket, client);
            _ = {{expression}};
            """;
        var result = Compile(code, "event-names");
        if (error is null) Assert.True(result.Assembly is not null, result.Errors);
        else Assert.Contains(error, result.Errors);
    }
}
