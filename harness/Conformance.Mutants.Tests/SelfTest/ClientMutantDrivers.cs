using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Conformance.Engine.Drivers;
using Conformance.Engine.Support;
using Conformance.JsHosts;
using Conformance.Mutants.Clients;
using SocketCluster.Client;

namespace Conformance.Mutants.Tests.SelfTest;

/// <summary>
/// The "csharp" and "node" client drivers of one self-test session, switchable between the unmodified client
/// (<see cref="Current"/> null: the baseline) and one <see cref="ClientMutant"/> at a time, like
/// <see cref="MutationProxy.Use"/> for servers. Registered under the engine's own driver names, so the scenarios'
/// Examples rows pick them up unchanged. A mutant changes only the clients created while it is current.
/// Wire mutants and C# behaviour mutants connect through <see cref="ClientMutantConnector"/> (as the C# adapter's
/// <c>--mutant</c> does); node behaviour mutants get a dedicated node-client-driver.mjs process, told to patch the
/// official client (the test-only <c>mutate</c> command) before its first socket.
/// </summary>
public sealed class ClientMutantDrivers : IAsyncDisposable
{
    private readonly string _jsFixtures;
    private readonly CSharpClientDriver _csharp = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<IClientDriver>>> _node = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Exception> _proxyFaults = new();
    private volatile ClientMutant? _current;

    public ClientMutantDrivers(ConformanceSession session)
    {
        _jsFixtures = session.Settings.JsFixturesFolder;
        foreach (var name in new[] { "csharp", "node" })
            session.Clients.Register(name, (_, _) => Task.FromResult<IClientDriver>(new SwitchDriver(name, this)));
    }

    /// <summary>The mutant new clients get (null: the unmodified clients).</summary>
    public ClientMutant? Current { get => _current; set => _current = value; }

    /// <summary>Errors raised inside wire-mutant proxies (a healthy run has none).</summary>
    public IReadOnlyCollection<Exception> ProxyFaults => _proxyFaults;

    private async Task<IClientHandle> ConnectAsync(string driverName, JsonObject options, CancellationToken cancellation)
    {
        var mutant = _current is { } m && m.Driver == driverName ? m : null;
        if (driverName == "csharp" || mutant?.Mechanism == ClientMutantMechanism.Wire)
        {
            IClientDriver inner = driverName == "csharp" ? _csharp : await NodeDriverAsync(null).ConfigureAwait(false);
            return await ClientMutantConnector.ConnectAsync(inner, mutant, options, _proxyFaults, cancellation).ConfigureAwait(false);
        }
        var node = await NodeDriverAsync(mutant?.Behaviour).ConfigureAwait(false);
        return await node.ConnectAsync(options, cancellation).ConfigureAwait(false);
    }

    /// <summary>The unmodified node driver (key "") or one patched with a client-mutants.mjs mutant, started once each.</summary>
    private Task<IClientDriver> NodeDriverAsync(string? mutant) =>
        _node.GetOrAdd(mutant ?? "", key => new Lazy<Task<IClientDriver>>(async () =>
        {
            await NodePackages.EnsureInstalledAsync(_jsFixtures).ConfigureAwait(false);
            var host = await JsDriverHosts.StartAsync("node").ConfigureAwait(false);
            if (key.Length > 0)
            {
                var result = await host.CallAsync("mutate", [System.Text.Json.JsonSerializer.SerializeToElement(key)]).ConfigureAwait(false);
                if (!result.TryGetProperty("ok", out var ok) || ok.ValueKind != System.Text.Json.JsonValueKind.True)
                {
                    await host.DisposeAsync().ConfigureAwait(false);
                    throw new InvalidOperationException($"node driver refused client mutant '{key}': {result.GetRawText()}");
                }
            }
            return new JsClientDriver(host);
        })).Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _node.Values)
        {
            if (!lazy.IsValueCreated) continue;
            try { await (await lazy.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false); }
            catch (Exception) { /* a host that failed to start has nothing to dispose */ }
        }
    }

    /// <summary>What the engine sees under the name "csharp" or "node".</summary>
    private sealed class SwitchDriver(string name, ClientMutantDrivers owner) : IClientDriver
    {
        public string Name => name;

        public Task<IClientHandle> ConnectAsync(JsonObject options, CancellationToken cancellation) => owner.ConnectAsync(name, options, cancellation);

        // The owner disposes the hosts once, at the end of the self-test (the session disposes its drivers too).
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
