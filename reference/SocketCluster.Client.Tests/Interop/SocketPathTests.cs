using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using SocketCluster.Protocol;
using SocketCluster.Server;

namespace SocketCluster.Client.Tests.Interop;

/// <summary>
/// The official socketPath option: the client reaches a server listening on a Unix domain socket (here the C#
/// reference server on Kestrel's ListenUnixSocket), in protocol v2 and v1; a path nobody listens on aborts the
/// connection as a refused TCP connection would (1006).
/// </summary>
public sealed class SocketPathTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static async Task<(WebApplication App, SocketClusterServer Server)> StartUnixServerAsync(string socketPath, int protocolVersion)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.ListenUnixSocket(socketPath));
        builder.Services.AddSocketCluster(o => o.ProtocolVersion = protocolVersion);
        var app = builder.Build();
        var server = app.MapSocketCluster("/socketcluster/");
        await app.StartAsync(TestContext.Current.CancellationToken);
        return (app, server);
    }

    private static string TempSocketPath() => Path.Combine(Path.GetTempPath(), $"sc-{Guid.NewGuid():N}.sock");

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public async Task A_client_connects_over_a_unix_domain_socket(int protocolVersion)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Unix domain sockets are tested on Linux and macOS");
        string socketPath = TempSocketPath();
        var (app, server) = await StartUnixServerAsync(socketPath, protocolVersion);
        try
        {
            // The port is one nobody listens on: only the Unix socket can carry this connection.
            var client = SocketClusterClient.Create(new ClientOptions
            {
                Hostname = "localhost", Port = 1, SocketPath = socketPath, ProtocolVersion = protocolVersion, AutoConnect = false,
            });
            var connect = client.Listener(ClientEvents.Connect).CreateConsumer();
            client.Connect();
            await connect.NextAsync(Wait);
            Assert.Equal(ConnectionState.Open, client.State);
            Assert.NotNull(client.Id);
            Assert.True(server.Clients.ContainsKey(client.Id!), $"the server does not know socket {client.Id}");
            client.Disconnect();
        }
        finally
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await app.StopAsync(cts.Token); } catch (OperationCanceledException) { }
            await app.DisposeAsync();
            File.Delete(socketPath);
        }
    }

    [Fact]
    public async Task A_socket_path_nobody_listens_on_aborts_with_1006()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Unix domain sockets are tested on Linux and macOS");
        var client = SocketClusterClient.Create(new ClientOptions
        {
            Hostname = "localhost", SocketPath = TempSocketPath(), AutoConnect = false, AutoReconnect = false,
        });
        var abort = client.Listener(ClientEvents.ConnectAbort).CreateConsumer();
        client.Connect();
        var e = Assert.IsType<ConnectAbortEvent>(await abort.NextAsync(Wait));
        Assert.Equal(CloseCodes.Abnormal, e.Code);
    }

    [Fact]
    public void An_empty_socket_path_is_refused()
    {
        var error = Assert.Throws<ScError>(() => SocketClusterClient.Create(new ClientOptions { SocketPath = "", AutoConnect = false }));
        Assert.Equal("InvalidArgumentsError", error.Name);
    }
}
