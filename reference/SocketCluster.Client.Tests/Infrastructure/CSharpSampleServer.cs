using SocketCluster.Sample;

namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>The C# reference sample server (fixture-app contract) hosted in this test process on Kestrel.</summary>
public sealed class CSharpSampleServer(ServerOptions options) : ServerUnderTest(ServerTargets.CSharp, options)
{
    private SampleServerHandle? _handle;

    public override async Task StartAsync()
    {
        var sampleOptions = new SampleServerOptions
        {
            Port = Port,
            ProtocolVersion = Options.ProtocolVersion,
            PingInterval = Options.PingIntervalMs,
            PingTimeout = Options.PingTimeoutMs,
            PingTimeoutDisabled = Options.PingTimeoutDisabled,
            AckTimeout = Options.AckTimeoutMs,
            AuthKey = Options.EffectiveAuthKey,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.None,
            BatchOnHandshake = Options.BatchOnHandshake,
        };
        if (Options.BatchOnHandshakeDurationMs is { } duration) sampleOptions = sampleOptions with { BatchOnHandshakeDuration = duration };
        if (Options.BatchIntervalMs is { } interval) sampleOptions = sampleOptions with { BatchInterval = interval };
        // Restarting on the same port can briefly race the old listener; retry a few times.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _handle = await SampleServer.StartAsync(sampleOptions);
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
