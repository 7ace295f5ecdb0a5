using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

public sealed class ServerEventLogTests
{
    [Fact]
    public async Task Connections_disconnections_and_warnings_are_logged()
    {
        await using var host = await TestHost.StartAsync(o => o.AllowClientPublish = false);
        var logger = new ListLogger();
        ServerEventLog.Start(host.Server, logger, host.Stopping);
        var connection = host.NextConnectionAsync();
        var client = await host.ConnectOpenAsync();
        var socket = await connection;
        await client.InvokeAsync("#publish", new { channel = "x", data = 1 }); // refused: a warning on the server
        await client.CloseAsync(4321, "bye");
        await client.DisposeAsync();
        await Waits.Until(() => logger.Entries.Any(e => e.Contains("disconnected")), "the disconnection is logged");
        Assert.Contains($"Debug: Socket {socket.Id} connected from 127.0.0.1", logger.Entries);
        Assert.Contains($"Debug: Socket {socket.Id} disconnected: 4321 bye", logger.Entries);
        Assert.Contains(logger.Entries, e => e.StartsWith("Warning: SocketCluster warning: ", StringComparison.Ordinal));
    }

    private sealed class ListLogger : ILogger
    {
        public ConcurrentQueue<string> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
