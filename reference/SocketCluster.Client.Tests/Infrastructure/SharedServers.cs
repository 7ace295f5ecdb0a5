using System.Collections.Concurrent;

namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>
/// One running server per (target, options) for the whole test run, for tests that do not stop or restart it.
/// Node fixtures exit by themselves when this process ends (their stdin closes).
/// </summary>
public static class SharedServers
{
    private static readonly ConcurrentDictionary<(string, ServerOptions), Lazy<Task<ServerUnderTest>>> Servers = new();

    public static Task<ServerUnderTest> GetAsync(string target, ServerOptions? options = null) =>
        Servers.GetOrAdd((target, options ?? new ServerOptions()), key => new Lazy<Task<ServerUnderTest>>(async () =>
        {
            var server = ServerUnderTest.Create(key.Item1, key.Item2);
            await server.StartAsync();
            return server;
        })).Value;

    /// <summary>A server only this test uses (to stop or restart it); dispose it at the end.</summary>
    public static async Task<ServerUnderTest> StartOwnAsync(string target, ServerOptions? options = null)
    {
        var server = ServerUnderTest.Create(target, options);
        await server.StartAsync();
        return server;
    }
}
