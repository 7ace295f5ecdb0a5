using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

/// <summary>
/// A flood of connections beyond the process's open-files limit is refused, never fatal: AddSocketCluster caps
/// Kestrel's connection limits below RLIMIT_NOFILE (OpenFilesConnectionLimit). Without the cap the sample, run out of
/// descriptors, lets excess connections hang and .NET aborts with "Out of memory." once the runtime itself needs a
/// descriptor (a thread start, an assembly load).
/// </summary>
public sealed class OpenFilesLimitTests
{
    // The sample opens about 200 descriptors of its own (assemblies, pipes, the listener) and keeps 256 in reserve, so
    // under 600 it holds about 140 sockets; 450 attempts are beyond what the uncapped process can hold (about 400).
    private const int OpenFilesLimit = 600;
    private const int Attempts = 450;

    // Loopback: a refusal (503 or a closed connection) comes back in milliseconds; 5 s absorbs a busy machine.
    private static readonly TimeSpan ConnectDeadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_flood_beyond_the_open_files_limit_is_refused_while_held_connections_keep_working()
    {
        var prlimit = FindOnPath("prlimit");
        if (!OperatingSystem.IsLinux() || prlimit is null)
            Assert.Skip("needs Linux and prlimit (util-linux) to start the sample under a low open-files limit");

        await using var sample = await SampleProcess.StartAsync(SampleProcess.StartInfo(
            [prlimit, $"--nofile={OpenFilesLimit}:{OpenFilesLimit}"], "--port", "0", "--exit-on-stdin-close"));
        var url = new Uri($"ws://127.0.0.1:{sample.Port}/socketcluster/");
        var held = new List<RawClient>();
        try
        {
            var refused = 0;
            for (var i = 0; i < Attempts; i++)
            {
                // Every attempt ends within the deadline (a hang throws TimeoutException and fails the test).
                if (await TryConnectAsync(url) is { } client) held.Add(client);
                else refused++;
            }

            Assert.False(sample.HasExited, $"the sample died under the flood:\n{Tail(sample.StdErr)}");
            Assert.True(held.Count > 0 && refused > 0, $"expected some held and some refused, got {held.Count} held, {refused} refused");
            Assert.All(held, c => Assert.Equal(WebSocketState.Open, c.State));
            // The first and the last held connection still answer.
            foreach (var client in new[] { held[0], held[^1] })
                Assert.Equal("Success", (await client.InvokeAsync("customProc", new { })).GetProperty("data").GetString());

            // Closing some makes room again (Kestrel releases a slot when the connection has closed: poll, bounded).
            var closing = held.GetRange(0, 10);
            held.RemoveRange(0, 10);
            await Task.WhenAll(closing.Select(c => c.DisposeAsync().AsTask()));
            RawClient? again = null;
            var deadline = DateTime.UtcNow + Waits.Long;
            while (again is null && DateTime.UtcNow < deadline)
                if ((again = await TryConnectAsync(url)) is null) await Task.Delay(100);
            Assert.True(again is not null, "no connection was accepted after 10 held ones closed");
            held.Add(again);
            Assert.Equal("Success", (await again.InvokeAsync("customProc", new { })).GetProperty("data").GetString());
            Assert.False(sample.HasExited, $"the sample died:\n{Tail(sample.StdErr)}");
        }
        finally
        {
            await Task.WhenAll(held.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>A handshaken connection, or null when the server refused it.</summary>
    private static async Task<RawClient?> TryConnectAsync(Uri url)
    {
        RawClient client;
        try
        {
            client = await RawClient.ConnectAsync(url, timeout: ConnectDeadline);
        }
        catch (WebSocketException)
        {
            return null;
        }
        await client.HandshakeAsync();
        return client;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;
}

public sealed class OpenFilesConnectionLimitTests
{
    [Theory]
    [InlineData("Max open files            1024                 4096                 files", 1024L)]
    [InlineData("Max open files            unlimited            unlimited            files", null)]
    [InlineData("Max processes             63704                63704                processes", null)]
    public void The_soft_limit_is_read_from_the_Max_open_files_line(string line, long? expected) =>
        Assert.Equal(expected, OpenFilesConnectionLimit.ParseLimitsLine(line));

    [Fact]
    public void The_caps_together_never_exceed_the_descriptors_left_after_the_reserve()
    {
        Assert.Null(OpenFilesConnectionLimit.Compute(null, 200));
        var (http, upgraded) = OpenFilesConnectionLimit.Compute(20_000, 200)!.Value;
        Assert.Equal(20_000 - 200 - OpenFilesConnectionLimit.Reserve, http + upgraded);
        Assert.Equal(1024, http);
        // A limit too small for the reserve still lets one connection of each kind in (never 0 = refuse everything).
        Assert.Equal((1L, 1L), OpenFilesConnectionLimit.Compute(300, 200));
    }

    [Fact]
    public async Task AddSocketCluster_sets_both_Kestrel_limits_from_this_process_s_open_files_limit()
    {
        if (OpenFilesConnectionLimit.ReadSoftLimit() is not { } soft) { Assert.Skip("no open-files limit is known here (not Linux, or unlimited)"); return; }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSocketCluster();
        await using var app = builder.Build();
        var limits = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        Assert.NotNull(limits.MaxConcurrentConnections);
        Assert.NotNull(limits.MaxConcurrentUpgradedConnections);
        Assert.True(limits.MaxConcurrentConnections + limits.MaxConcurrentUpgradedConnections <= soft - OpenFilesConnectionLimit.Reserve);
    }

    [Fact]
    public async Task The_apps_own_Kestrel_limit_wins()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSocketCluster();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = 7);
        await using var app = builder.Build();
        var limits = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        Assert.Equal(7, limits.MaxConcurrentConnections);
        Assert.Null(limits.MaxConcurrentUpgradedConnections);
    }
}
