using System.Globalization;
using Conformance.JsHosts;
using Conformance.JsHosts.Node;

namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>
/// The official socketcluster-server 20.0.1 running js-client-fixtures/fixture-server.js under Node (started through
/// the shared <see cref="ListeningProcess"/>). The process exits when its stdin closes, so a crashed test run never
/// leaks it.
/// </summary>
public sealed class NodeFixtureServer(ServerOptions options) : ServerUnderTest(ServerTargets.Node, options)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private ListeningProcess? _process;

    public override async Task StartAsync()
    {
        RepoPaths.RequireNodeModules();
        List<string> arguments =
        [
            "fixture-server.js", "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--protocol", Options.ProtocolVersion.ToString(CultureInfo.InvariantCulture),
            "--ping-interval", Options.PingIntervalMs.ToString(CultureInfo.InvariantCulture),
            "--ping-timeout", Options.PingTimeoutMs.ToString(CultureInfo.InvariantCulture),
            "--ack-timeout", Options.AckTimeoutMs.ToString(CultureInfo.InvariantCulture),
            "--auth-key", Options.EffectiveAuthKey,
        ];
        if (Options.PingTimeoutDisabled) arguments.Add("--ping-timeout-disabled");
        if (Options.BatchOnHandshake) arguments.Add("--batch-on-handshake");
        if (Options.BatchOnHandshakeDurationMs is { } duration)
            arguments.AddRange(["--batch-on-handshake-duration", duration.ToString(CultureInfo.InvariantCulture)]);
        if (Options.BatchIntervalMs is { } interval)
            arguments.AddRange(["--batch-interval", interval.ToString(CultureInfo.InvariantCulture)]);

        // Restarting on the same port can briefly race the old listener; retry a few times.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _process = await ListeningProcess.StartAsync(NodeExecutable.Path, arguments, RepoPaths.JsClientFixtures, StartTimeout);
                Port = _process.Port;
                IsRunning = true;
                return;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException && attempt < 5)
            {
                await Task.Delay(300 * attempt); // the last attempt's exception says what the fixture printed
            }
        }
    }

    public override async Task StopAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        IsRunning = false;
        // Killing (rather than closing stdin) drops the TCP connections abruptly, like a crashed server.
        await process.KillAsync();
    }
}
