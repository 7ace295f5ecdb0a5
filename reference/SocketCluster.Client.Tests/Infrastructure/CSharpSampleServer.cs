using SocketCluster.Sample.Fixture;

namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>The C# reference sample server (fixture-app contract) hosted in this test process on Kestrel.</summary>
public sealed class CSharpSampleServer(ServerOptions options) : ServerUnderTest(ServerTargets.CSharp, options)
{
    private SampleServerHandle? _handle;

    public override async Task StartAsync()
    {
        void Configure(SocketCluster.Server.Options.SocketClusterServerOptions o)
        {
            o.ProtocolVersion = Options.ProtocolVersion;
            o.PingInterval = TimeSpan.FromMilliseconds(Options.PingIntervalMs);
            o.PingTimeout = TimeSpan.FromMilliseconds(Options.PingTimeoutMs);
            o.PingTimeoutDisabled = Options.PingTimeoutDisabled;
            o.AckTimeout = TimeSpan.FromMilliseconds(Options.AckTimeoutMs);
            o.AuthKey = Options.EffectiveAuthKey;
            o.BatchOnHandshake = Options.BatchOnHandshake;
            if (Options.BatchOnHandshakeDurationMs is { } duration) o.BatchOnHandshakeDuration = TimeSpan.FromMilliseconds(duration);
            if (Options.BatchIntervalMs is { } interval) o.BatchInterval = TimeSpan.FromMilliseconds(interval);
        }
        // Restarting on the same port can briefly race the old listener; retry a few times.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _handle = await SampleServer.StartAsync(Configure, Port, logLevel: Microsoft.Extensions.Logging.LogLevel.None);
                break;
            }
            catch (IOException) when (attempt < 5)
            {
                await Task.Delay(300 * attempt);
            }
        }
        Port = _handle.Port;
        IsRunning = true;
    }

    public override async Task StopAsync()
    {
        if (_handle is not { } handle) return;
        _handle = null;
        IsRunning = false;
        await handle.DisposeAsync();
    }
}
